package dev.kiln.cli.command;

import dev.kiln.core.check.IndexRepairer;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.RepositoryLock;
import dev.kiln.core.store.BlobStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code kiln repair index}. */
@Command(name = "repair", mixinStandardHelpOptions = true, description = "Repair the repository.",
        subcommands = RepairCommand.Index.class)
public final class RepairCommand implements Runnable {
    @ParentCommand
    KilnCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say what to repair: kiln repair index");
    }

    /** Rebuilds the index files from the pack headers. */
    @Command(name = "index", mixinStandardHelpOptions = true,
            description = "Rebuild the index files from the headers of the packs (when index files are lost or damaged).")
    static final class Index implements Callable<Integer> {
        @ParentCommand
        RepairCommand repair;

        @Override
        public Integer call() throws Exception {
            KilnCommand root = repair.root;
            try (BlobStore store = root.openStore(); Repository repo = root.openRepository(store);
                 RepositoryLock lock = repo.lock(true, KilnCommand.hostname(), KilnCommand.username())) {
                IndexRepairer.Result r = new IndexRepairer(repo).run();
                r.unreadablePacks().forEach(p -> root.err.println("warning: " + p + " (its blobs stay out of the index)"));
                root.out.printf("index rebuilt from %d packs (%d blobs): %d index files written, %d removed%n",
                        r.packs(), r.blobs(), r.indexFilesWritten(), r.indexFilesRemoved());
                root.out.flush();
                return r.unreadablePacks().isEmpty() ? 0 : 1;
            }
        }
    }
}
