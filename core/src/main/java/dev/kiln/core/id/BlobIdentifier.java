package dev.kiln.core.id;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes keyed block addresses: {@code HMAC-SHA-256(idKey, H(block))} where H is the repository's
 * {@link HashAlgorithm}. Keying means a store operator cannot test for known content. Not thread-safe.
 */
public final class BlobIdentifier {
    private final BlockHasher hasher;
    private final Mac mac;

    public BlobIdentifier(HashAlgorithm algorithm, byte[] idKey) {
        this.hasher = algorithm.newHasher();
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(idKey, "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("cannot set up HMAC-SHA-256", e);
        }
    }

    public BlobId identify(byte[] data, int off, int len) {
        return BlobId.fromBytes(mac.doFinal(hasher.digest(data, off, len)));
    }

    public BlobId identify(byte[] data) {
        return identify(data, 0, data.length);
    }
}
