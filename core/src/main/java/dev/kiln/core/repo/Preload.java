package dev.kiln.core.repo;

import dev.kiln.core.compress.ZstdCompressor;
import dev.kiln.core.crypto.Aead;
import dev.kiln.core.crypto.Argon2id;
import dev.kiln.core.crypto.KeyFile;
import dev.kiln.core.crypto.Sha256;
import dev.kiln.core.index.RocksBlobIndex;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads, on two threads of their own, what opening a repository needs: on one OpenSSL (bound and self-tested,
 * ~100 ms from a cold start; the key file's name is its SHA-256) and the JDK's random source; on the other, in the
 * order the opening needs them, the repository class with its JSON mapper, the key file's JSON reader, libsodium's
 * Argon2id (the key's derivation), the native libraries of RocksDB and zstd (16 MB to map and relocate), and the JSON readers
 * and writers of the config, the lock and the snapshots. A command that starts it before parsing its arguments finds
 * them ready when it opens the repository. Once per process; a thread that needs something first loads it itself
 * (class initialisation waits for the other thread), and a failure is reported by that thread.
 */
public final class Preload {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private Preload() {
    }

    /** Starts the loading, unless it was started before. */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("kiln-preload-crypto").start(() -> {
            try {
                Sha256.isNative();
                Aead.loadRandom(); // the lock's nonce: the JDK's security providers, ~10 ms
            } catch (Throwable t) {
                // the thread that needs it loads it, and reports the failure
            }
        });
        Thread.ofPlatform().daemon().name("kiln-preload").start(() -> {
            try {
                ClassLoader loader = Preload.class.getClassLoader();
                Class.forName(Repository.class.getName(), true, loader);
                // The key file's reader, and Jackson's parser base class, whose constants start BigDecimal: its
                // class initialisation computes 5^65536 (JDK 25), 10-20 ms that the first parse otherwise waits for.
                Class.forName(KeyFile.class.getName(), true, loader);
                Class.forName("com.fasterxml.jackson.core.base.ParserMinimalBase", true, loader);
                Argon2id.defaultParams(); // libsodium, for the key's derivation (libargon2 only if a key file needs it)
                RocksBlobIndex.loadLibrary();
                ZstdCompressor.loadLibrary();
                Repository.prepareJson();
            } catch (Throwable t) {
                // the thread that needs it loads it, and reports the failure
            }
        });
    }
}
