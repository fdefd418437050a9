package dev.kiln.core.id;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 from the JDK's provider, which uses the CPU's SHA instructions. */
final class Sha256BlockHasher implements BlockHasher {
    private final MessageDigest md;

    Sha256BlockHasher() {
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    @Override
    public byte[] digest(byte[] data, int off, int len) {
        md.update(data, off, len);
        return md.digest();
    }
}
