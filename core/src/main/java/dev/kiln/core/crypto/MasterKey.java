package dev.kiln.core.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The repository's random 256-bit master key. Every working key is derived from it with HKDF-SHA-256
 * (salt = repository id, info = a label of the key's purpose). Wipe it with {@link #close()} when done.
 */
public final class MasterKey implements AutoCloseable {
    public static final int LENGTH = 32;
    private final byte[] key;

    private MasterKey(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("master key must be 32 bytes");
        }
        this.key = key;
    }

    public static MasterKey generate(SecureRandom random) {
        byte[] k = new byte[LENGTH];
        random.nextBytes(k);
        return new MasterKey(k);
    }

    public static MasterKey fromBytes(byte[] key) {
        return new MasterKey(key.clone());
    }

    byte[] bytes() {
        return key;
    }

    /** HKDF-SHA-256(ikm = master key, salt, info = label), {@code length} bytes. */
    public byte[] derive(byte[] salt, String label, int length) {
        return Sha256.hkdf(key, salt, label.getBytes(java.nio.charset.StandardCharsets.UTF_8), length);
    }

    @Override
    public void close() {
        Arrays.fill(key, (byte) 0);
    }
}
