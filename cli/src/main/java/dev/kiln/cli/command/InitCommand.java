package dev.kiln.cli.command;

import dev.kiln.core.chunk.ChunkerParams;
import dev.kiln.core.crypto.Argon2Params;
import dev.kiln.core.id.HashAlgorithm;
import dev.kiln.core.repo.InitOptions;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.store.BlobStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kiln init}: creates a repository. */
@Command(name = "init", mixinStandardHelpOptions = true, description = "Create a new repository.")
public final class InitCommand implements Callable<Integer> {
    @ParentCommand
    KilnCommand root;

    @Option(names = "--hash", paramLabel = "ALGORITHM", defaultValue = "sha256",
            description = "Hash under the keyed block ids: sha256 (default) or tiger-tree.")
    String hash;

    @Option(names = "--chunk-sizes", paramLabel = "MIN,AVG,MAX", split = ",",
            description = "Chunker sizes in bytes (default 524288,1048576,8388608).")
    int[] chunkSizes;

    @Option(names = "--pack-size", paramLabel = "BYTES", description = "Target pack size (default 16 MiB).")
    Integer packSize;

    @Option(names = "--kdf-memory", paramLabel = "KiB", description = "Argon2id memory for the key file (default 65536).")
    Integer kdfMemory;

    @Option(names = "--kdf-iterations", paramLabel = "N", description = "Argon2id passes for the key file (default 3).")
    Integer kdfIterations;

    @Override
    public Integer call() throws Exception {
        InitOptions options = options();
        try (BlobStore store = root.openStore()) {
            byte[] password = root.passwords().read(true);
            try (Repository repo = Repository.init(store, password, options, root.clock, KilnCommand.hostname(), KilnCommand.username())) {
                root.out.println("created repository " + repo.config().id().substring(0, 8) + " at " + store.location());
            }
        }
        return 0;
    }

    InitOptions options() {
        InitOptions o = InitOptions.defaults().withHash(HashAlgorithm.parse(hash));
        if (chunkSizes != null) {
            if (chunkSizes.length != 3) {
                throw new IllegalArgumentException("--chunk-sizes needs MIN,AVG,MAX");
            }
            o = o.withChunker(new ChunkerParams(chunkSizes[0], chunkSizes[1], chunkSizes[2]));
        }
        if (packSize != null) {
            o = o.withPackSize(packSize);
        }
        if (kdfMemory != null || kdfIterations != null) {
            Argon2Params d = dev.kiln.core.crypto.Argon2id.defaultParams();
            o = o.withKdf(new Argon2Params(kdfMemory != null ? kdfMemory : d.memoryKiB(),
                    kdfIterations != null ? kdfIterations : d.iterations(), d.parallelism()));
        }
        return o;
    }
}
