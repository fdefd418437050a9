package dev.kiln.core.id;

import dev.kiln.core.crypto.Sha256;

/** SHA-256 through {@link Sha256}: OpenSSL's or the JDK's, both on the CPU's SHA instructions. */
final class Sha256BlockHasher implements BlockHasher {
    @Override
    public byte[] digest(byte[] data, int off, int len) {
        return Sha256.digest(data, off, len);
    }
}
