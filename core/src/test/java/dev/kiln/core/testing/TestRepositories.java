package dev.kiln.core.testing;

import dev.kiln.core.chunk.ChunkerParams;
import dev.kiln.core.crypto.Argon2Params;
import dev.kiln.core.repo.InitOptions;

/** Repository settings that keep tests fast: cheap KDF, small chunks and packs. */
public final class TestRepositories {
    public static final Argon2Params CHEAP_KDF = new Argon2Params(256, 1, 1);

    private TestRepositories() {
    }

    public static InitOptions small() {
        return InitOptions.defaults().withKdf(CHEAP_KDF)
                .withChunker(new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024))
                .withPackSize(512 * 1024);
    }
}
