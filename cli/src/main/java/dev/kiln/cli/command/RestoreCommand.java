package dev.kiln.cli.command;

import dev.kiln.cli.ExitCode;
import dev.kiln.cli.output.Json;
import dev.kiln.cli.output.Sizes;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.SnapshotRef;
import dev.kiln.core.restore.RestoreOptions;
import dev.kiln.core.restore.RestoreResult;
import dev.kiln.core.restore.Restorer;
import dev.kiln.core.store.BlobStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kiln restore SNAPSHOT --target DIR}: recreates a snapshot's files. */
@Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore a snapshot (or part of it) under a target directory.")
public final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    KilnCommand root;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id (or a unique prefix), or 'latest'.")
    String snapshot;

    @Option(names = "--target", required = true, paramLabel = "DIR", description = "Directory to restore into; snapshot paths are recreated below it.")
    Path target;

    @Option(names = "--include", paramLabel = "GLOB", description = "Restore only matching paths and what is below them (repeatable).")
    List<String> includes = List.of();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out matching paths (repeatable).")
    List<String> excludes = List.of();

    @Option(names = "--numeric-owner", description = "As root, restore ownership by the recorded ids, not by user and group names.")
    boolean numericOwner;

    @Option(names = "--sparse", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Leave blocks of zeros as holes (default; --no-sparse writes them).")
    boolean sparse;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (BlobStore store = root.openStore(true); Repository repo = root.openRepository(store)) {
            SnapshotRef ref = repo.findSnapshot(snapshot);
            RestoreResult r = new Restorer(repo, new RestoreOptions(target, includes, excludes,
                    2 * Runtime.getRuntime().availableProcessors(), numericOwner, sparse)).run(ref); // twice the cores: file I/O overlaps
            r.errors().forEach(e -> root.err.println("error: " + e));
            r.warnings().forEach(w -> root.err.println("warning: " + w));
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("snapshot", ref.id());
                m.put("summary", r);
                m.put("requests", root.requestStats.snapshot());
                root.out.println(Json.write(m));
            } else {
                root.out.printf("restored snapshot %s to %s%n", ref.shortId(), target.toAbsolutePath());
                root.out.printf("%d files, %d directories, %d other; %s in %s (%d packs read, %s downloaded)%n",
                        r.files(), r.dirs(), r.others(), Sizes.human(r.bytes()), Sizes.seconds(r.durationMillis()),
                        r.packsRead(), Sizes.human(r.bytesDownloaded()));
                root.out.printf("store: %s%n", Sizes.requests(root.requestStats.snapshot()));
                if (!r.errors().isEmpty()) {
                    root.out.printf("%d errors (see above)%n", r.errors().size());
                }
            }
            root.out.flush();
            return r.errors().isEmpty() ? ExitCode.OK : ExitCode.FAILURE;
        }
    }
}
