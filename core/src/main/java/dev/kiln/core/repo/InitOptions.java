package dev.kiln.core.repo;

import dev.kiln.core.chunk.ChunkerParams;
import dev.kiln.core.crypto.Argon2Params;
import dev.kiln.core.id.HashAlgorithm;

/** Choices made once, at {@code init}. */
public record InitOptions(ChunkerParams chunker, HashAlgorithm hash, int compressionLevel, int packSize, Argon2Params kdf) {
    public static final int DEFAULT_PACK_SIZE = 16 * 1024 * 1024;

    public InitOptions {
        if (packSize < 64 * 1024 || packSize > 512 * 1024 * 1024) {
            throw new IllegalArgumentException("pack size " + packSize + " out of range");
        }
    }

    public static InitOptions defaults() {
        return new InitOptions(ChunkerParams.DEFAULT, HashAlgorithm.SHA256, 3, DEFAULT_PACK_SIZE, dev.kiln.core.crypto.Argon2id.defaultParams());
    }

    public InitOptions withHash(HashAlgorithm h) {
        return new InitOptions(chunker, h, compressionLevel, packSize, kdf);
    }

    public InitOptions withKdf(Argon2Params k) {
        return new InitOptions(chunker, hash, compressionLevel, packSize, k);
    }

    public InitOptions withChunker(ChunkerParams c) {
        return new InitOptions(c, hash, compressionLevel, packSize, kdf);
    }

    public InitOptions withPackSize(int size) {
        return new InitOptions(chunker, hash, compressionLevel, size, kdf);
    }
}
