package dev.kiln.core.repo;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The local cache of an open repository. With a root, the index lives in RocksDB under
 * {@code <root>/<repo id>/blob-index}; with {@code copyObjects} (remote stores), snapshots and tree packs are also
 * kept there. Without a root, the index is held in the heap.
 */
public record CacheOptions(Optional<Path> root, boolean copyObjects, boolean removeOnClose) {
    public static CacheOptions none() {
        return new CacheOptions(Optional.empty(), false, false);
    }

    public static CacheOptions at(Path root, boolean copyObjects) {
        return new CacheOptions(Optional.of(root), copyObjects, false);
    }

    /** A cache in a new temporary directory under {@code parent}, removed when the repository is closed. */
    public static CacheOptions temporary(Path parent) throws java.io.IOException {
        java.nio.file.Files.createDirectories(parent);
        return new CacheOptions(Optional.of(java.nio.file.Files.createTempDirectory(parent, "kiln-cache-")), false, true);
    }
}
