package dev.kiln.core.id;

import dev.kiln.core.crypto.Sha256;

/**
 * Computes keyed block addresses: {@code HMAC-SHA-256(idKey, H(block))} where H is the repository's
 * {@link HashAlgorithm}. Keying means a store operator cannot test for known content. Not thread-safe.
 */
public final class BlobIdentifier {
    private final HashAlgorithm algorithm;
    private final BlockHasher hasher;
    private final Sha256.Hmac mac;
    private final byte[] idBytes = new byte[Sha256.LENGTH];
    private final java.lang.foreign.MemorySegment id = java.lang.foreign.MemorySegment.ofArray(idBytes);

    public BlobIdentifier(HashAlgorithm algorithm, byte[] idKey) {
        this.algorithm = algorithm;
        this.hasher = algorithm.newHasher();
        this.mac = new Sha256.Hmac(idKey);
    }

    public BlobId identify(byte[] data, int off, int len) {
        return BlobId.fromBytes(mac.mac(hasher.digest(data, off, len)));
    }

    /** The address of {@code data}, on the heap or not. */
    public BlobId identify(java.lang.foreign.MemorySegment data) {
        if (algorithm == HashAlgorithm.SHA256) { // (the common case, without a copy on the heap)
            mac.macOfSha256(data, id);
            return BlobId.fromBytes(idBytes);
        }
        return BlobId.fromBytes(mac.mac(hasher.digest(data)));
    }

    public BlobId identify(byte[] data) {
        return identify(data, 0, data.length);
    }
}
