package dev.kiln.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Copies the native libraries of RocksDB and zstd-jni for this platform out of the runnable jar into {@code DIR},
 * once per build (the launcher runs it next to making the start-up cache). Without it both libraries extract
 * themselves into a new temporary file on every start: 15 MB for RocksDB, ~100 ms of every command. The launcher
 * then names the directory in {@code java.library.path} (RocksDB loads {@code librocksdbjni-linux64.so} from
 * there) and the zstd library in {@code ZstdNativePath}; a library the jar lacks for this platform is left out and
 * extracts itself as before. It also notes whether OpenSSL's crypto is usable ({@link #OPENSSL}). Not a user command.
 */
public final class NativeLibraries {
    /** The name the zstd library gets in {@code DIR}; the launcher passes it as {@code -DZstdNativePath}. */
    static final String ZSTD = "libzstd-jni.so";
    /**
     * A file in {@code DIR} saying that OpenSSL's SHA-256 and AES-GCM pass their self-test here: the launcher then
     * runs the JVM without C2 (ADR 0008), which only pays off when the crypto does not need C2's intrinsics.
     */
    static final String OPENSSL = "openssl";

    private NativeLibraries() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: NativeLibraries JAR DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        String rocks = org.rocksdb.util.Environment.getJniLibraryFileName("rocksdb");
        String zstdPrefix = "linux/" + System.getProperty("os.arch").toLowerCase(Locale.ROOT) + "/libzstd-jni-";
        try (JarFile jar = new JarFile(args[0])) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                String name = e.getName();
                String target = name.equals(rocks) ? rocks
                        : name.startsWith(zstdPrefix) && name.endsWith(".so") ? ZSTD : null;
                if (target != null) {
                    Path tmp = Files.createTempFile(dir, target, ".part");
                    try (InputStream in = jar.getInputStream(e)) {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.move(tmp, dir.resolve(target), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (dev.kiln.core.crypto.Sha256.isNative()) {
            Files.writeString(dir.resolve(OPENSSL), dev.kiln.core.crypto.Sha256.implementation() + "\n");
        } else {
            Files.deleteIfExists(dir.resolve(OPENSSL));
        }
    }
}
