package dev.kiln.core.repo;

import dev.kiln.core.compress.ZstdCompressor;
import dev.kiln.core.crypto.Aead;
import dev.kiln.core.crypto.Argon2id;
import dev.kiln.core.crypto.KeyFile;
import dev.kiln.core.crypto.Sha256;
import dev.kiln.core.index.RocksBlobIndex;
import dev.kiln.core.memory.UnzeroedMemory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads, on three threads of their own, what opening a repository needs: on one OpenSSL (bound and self-tested,
 * ~100 ms from a cold start; the key file's name is its SHA-256) and the JDK's random source; on another what the
 * key's derivation needs (Jackson's parser and libsodium's Argon2id); on the third, in the order the opening needs
 * them, the repository class with its JSON mapper, the key file's JSON reader, the native libraries of RocksDB and
 * zstd (16 MB to map and relocate), the JSON readers and writers of the config, the lock and the snapshots, and the
 * C library's memory functions. A command that starts it before parsing its arguments finds them ready when it
 * opens the repository. Once per process; a thread that needs something first loads it itself (class
 * initialisation waits for the other thread), and a failure is reported by that thread.
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
        // What the key's derivation waits for, on a thread of its own: the key file's parse needs Jackson's parser
        // base class, whose constants start BigDecimal (its class initialisation computes 5^65536 in JDK 25, 40-60
        // ms from a cold start), then libsodium (loaded and checked on a known answer, ~35 ms). Behind the other
        // thread's ~100 ms of loading, the command's thread could reach them first and wait (~70 ms under a
        // profiler); here they are ready ~80 ms after the start.
        Thread.ofPlatform().daemon().name("kiln-preload-kdf").start(() -> {
            try {
                Class.forName("com.fasterxml.jackson.core.base.ParserMinimalBase", true, Preload.class.getClassLoader());
                Argon2id.defaultParams(); // libsodium (libargon2 only if a key file needs it)
            } catch (Throwable t) {
                // the thread that needs it loads it, and reports the failure
            }
        });
        Thread.ofPlatform().daemon().name("kiln-preload").start(() -> {
            try {
                ClassLoader loader = Preload.class.getClassLoader();
                Class.forName(Repository.class.getName(), true, loader);
                Class.forName(KeyFile.class.getName(), true, loader); // the key file's reader
                RocksBlobIndex.loadLibrary();
                ZstdCompressor.loadLibrary();
                Repository.prepareJson();
                UnzeroedMemory.link(); // check's pack and scratch buffers
            } catch (Throwable t) {
                // the thread that needs it loads it, and reports the failure
            }
        });
    }
}
