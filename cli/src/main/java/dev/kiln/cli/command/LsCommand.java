package dev.kiln.cli.command;

import dev.kiln.cli.output.Json;
import dev.kiln.cli.output.NodeFormat;
import dev.kiln.core.id.BlobId;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.SnapshotRef;
import dev.kiln.core.repo.TreeWalker;
import dev.kiln.core.store.BlobStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kiln ls SNAPSHOT [PATH]}: lists what a snapshot holds. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List the files in a snapshot, recursively, at and below PATH.")
public final class LsCommand implements Callable<Integer> {
    @ParentCommand
    KilnCommand root;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id (or a unique prefix), or 'latest'.")
    String snapshot;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "Absolute path in the snapshot (default /).")
    String path = "/";

    @Option(names = {"-l", "--long"}, description = "Show mode, owner, size and mtime.")
    boolean longFormat;

    @Option(names = "--json", description = "Print one JSON object per line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (BlobStore store = root.openStore(true); Repository repo = root.openRepository(store)) {
            SnapshotRef ref = repo.findSnapshot(snapshot);
            Path start = Path.of("/").resolve(path);
            boolean found = new TreeWalker(repo).walk(BlobId.parse(ref.snapshot().tree()), start, (p, n) -> {
                if (json) {
                    root.out.println(Json.write(NodeFormat.json(p, n)));
                } else if (longFormat) {
                    root.out.println(NodeFormat.longLine(p, n));
                } else {
                    root.out.println(p);
                }
            });
            root.out.flush();
            if (!found) {
                throw new IllegalArgumentException(start + ": not in snapshot " + ref.shortId());
            }
        }
        return 0;
    }
}
