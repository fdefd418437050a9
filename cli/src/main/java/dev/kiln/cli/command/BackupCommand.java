package dev.kiln.cli.command;

import dev.kiln.cli.ExitCode;
import dev.kiln.cli.output.Json;
import dev.kiln.cli.output.Sizes;
import dev.kiln.core.backup.Archiver;
import dev.kiln.core.backup.BackupOptions;
import dev.kiln.core.backup.BackupResult;
import dev.kiln.core.repo.InitOptions;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.RepositoryLock;
import dev.kiln.core.repo.SnapshotRef;
import dev.kiln.core.snapshot.Snapshot;
import dev.kiln.core.store.BlobStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kiln backup PATH...}: makes a snapshot. */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Back up files and directories into a new snapshot.")
public final class BackupCommand implements Callable<Integer> {
    @ParentCommand
    KilnCommand root;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files and directories to back up.")
    List<Path> paths;

    @Option(names = "--tag", paramLabel = "TAG", description = "Label the snapshot (repeatable).")
    List<String> tags = List.of();

    @Option(names = "--host", paramLabel = "NAME", description = "Host name to record (default: this host).")
    String host;

    @Option(names = "--exclude", paramLabel = "GLOB",
            description = "Leave out matching files (repeatable). Without '/', a glob matches names at any depth; with '/', absolute paths.")
    List<String> excludes = List.of();

    @Option(names = "--exclude-file", paramLabel = "FILE", description = "Read --exclude globs from FILE, one per line ('#' starts a comment).")
    List<Path> excludeFiles = List.of();

    @Option(names = "--exclude-caches", description = "Leave out the contents of directories tagged with a valid CACHEDIR.TAG.")
    boolean excludeCaches;

    @Option(names = "--exclude-larger-than", paramLabel = "SIZE", description = "Leave out files larger than SIZE (e.g. 2GiB).")
    String excludeLargerThan;

    @Option(names = {"-x", "--one-file-system"}, description = "Do not cross file system boundaries (mount points are recorded, empty).")
    boolean oneFileSystem;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Option(names = "--force", description = "Read every file again, even those the parent snapshot shows unchanged.")
    boolean force;

    @Option(names = "--parent", paramLabel = "ID",
            description = "Compare with this snapshot (default: the latest one of this host and these paths).")
    String parentId;

    private List<String> allExcludes() throws java.io.IOException {
        List<String> all = new java.util.ArrayList<>(excludes);
        for (Path f : excludeFiles) {
            for (String line : java.nio.file.Files.readAllLines(f)) {
                String glob = line.strip();
                if (!glob.isEmpty() && !glob.startsWith("#")) {
                    all.add(glob);
                }
            }
        }
        return all;
    }

    @Override
    public Integer call() throws Exception {
        KilnCommand.Location location = root.location();
        try (BlobStore store = root.openStore()) {
            Repository repo;
            if (location.isDefault() && !Repository.exists(store)) {
                repo = Repository.init(store, root.passwords().read(true), InitOptions.defaults(), root.clock,
                        KilnCommand.hostname(), KilnCommand.username());
                root.err.println("created repository " + repo.config().id().substring(0, 8) + " at " + store.location());
            } else {
                repo = root.openRepository(store);
            }
            String hostname = host != null ? host : KilnCommand.hostname();
            try (repo; RepositoryLock lock = repo.lock(false, hostname, KilnCommand.username())) {
                Optional<SnapshotRef> parent = parentId != null ? Optional.of(repo.findSnapshot(parentId))
                        : Archiver.findParent(repo, hostname, paths);
                BackupOptions options = new BackupOptions(paths, hostname, KilnCommand.username(), tags, allExcludes(), parent,
                        // four per core: a worker reads a small file whole, then hashes, compresses and seals it, and
                        // with more of them the reads overlap the CPU work (initial backup of src, 4 pairs: 2x cores
                        // 8.9 s, 4x 8.4 s, 8x 9.1 s; restore and check gain nothing from more)
                        4 * Runtime.getRuntime().availableProcessors(),
                        oneFileSystem, excludeCaches, excludeLargerThan == null ? 0 : dev.kiln.cli.option.Quantities.bytes(excludeLargerThan),
                        force);
                BackupResult result = new Archiver(repo, options, w -> {
                    root.err.println("warning: " + w);
                    root.err.flush();
                }).run();
                print(result, parent);
                return result.complete() ? ExitCode.OK : ExitCode.PARTIAL;
            }
        }
    }

    private void print(BackupResult result, Optional<SnapshotRef> parent) {
        Snapshot.Summary s = result.snapshot().summary();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("snapshot", result.snapshotId());
            m.put("parent", parent.map(SnapshotRef::id).orElse(null));
            m.put("summary", s);
            m.put("warnings", result.warnings());
            m.put("notices", result.notices());
            m.put("requests", root.requestStats.snapshot());
            root.out.println(Json.write(m));
        } else {
            root.out.printf("snapshot %s saved%s%n", result.snapshotId().substring(0, 8),
                    parent.map(p -> " (parent " + p.shortId() + ")").orElse(""));
            root.out.printf("files:    %d new, %d changed, %d unchanged; %d directories%n",
                    s.filesNew(), s.filesChanged(), s.filesUnchanged(), s.dirs());
            root.out.printf("read:     %s of %s%n", Sizes.human(s.bytesRead()), Sizes.human(s.bytesTotal()));
            root.out.printf("added:    %s in %d new blobs (%s stored)%n", Sizes.human(s.bytesAdded()), s.blobsAdded(), Sizes.human(s.bytesStored()));
            root.out.printf("duration: %s%n", Sizes.seconds(s.durationMillis()));
            root.out.printf("store:    %s%n", Sizes.requests(root.requestStats.snapshot()));
            if (!result.complete()) {
                root.out.printf("incomplete: %d files or directories could not be read (see the warnings)%n", result.warnings().size());
            }
        }
        root.out.flush();
    }
}
