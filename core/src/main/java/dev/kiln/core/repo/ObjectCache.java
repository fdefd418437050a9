package dev.kiln.core.repo;

import dev.kiln.core.store.ObjectKey;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A local copy of immutable, content-named repository objects (index files, snapshots, tree packs), so that
 * a nightly backup to a remote store does not download them again. Every entry is checked against its name
 * when read; a bad entry is dropped and fetched again. Deleting the cache loses nothing.
 */
public final class ObjectCache {
    private final Path root;

    public ObjectCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    private Path pathOf(ObjectKey key) {
        return root.resolve(key.kind().directory()).resolve(key.name());
    }

    /** The cached bytes, if present and intact. */
    byte[] get(ObjectKey key) {
        Path p = pathOf(key);
        try {
            byte[] b = Files.readAllBytes(p);
            if (Repository.sha256Hex(b).equals(key.name())) {
                return b;
            }
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // not cached (or unreadable): fetch from the store
        }
        return null;
    }

    /** Stores a copy; failures only cost a later download. */
    void put(ObjectKey key, byte[] bytes) {
        Path p = pathOf(key);
        try {
            Files.createDirectories(p.getParent());
            Path tmp = p.resolveSibling("." + key.name() + ".tmp" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            Files.write(tmp, bytes);
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // a full or read-only cache directory is not an error
        }
    }

    /** Removes cached objects of a kind that the repository no longer holds. */
    void retain(dev.kiln.core.store.ObjectKind kind, Set<String> names) {
        Path dir = root.resolve(kind.directory());
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (!names.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // nothing cached yet
        }
    }
}
