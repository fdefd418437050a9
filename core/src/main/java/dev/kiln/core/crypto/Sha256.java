package dev.kiln.core.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 and HMAC-SHA-256: OpenSSL's when {@link NativeCrypto} is usable, the JDK's otherwise (same results; a
 * test holds them to each other).
 */
public final class Sha256 {
    public static final int LENGTH = 32;
    private static final ThreadLocal<MessageDigest> JDK = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    });

    private Sha256() {
    }

    /** Whether SHA-256 and AES-GCM run in OpenSSL (see {@link NativeCrypto}). */
    public static boolean isNative() {
        return NativeCrypto.available();
    }

    /** Which implementation is in use, and why not OpenSSL's when it is not. */
    public static String implementation() {
        return isNative() ? "OpenSSL (libcrypto.so.3)" : "JDK (" + NativeCrypto.unavailableReason() + ")";
    }

    public static byte[] digest(byte[] data, int off, int len) {
        byte[] out = new byte[LENGTH];
        digestInto(data, off, len, out, 0);
        return out;
    }

    public static byte[] digest(byte[] data) {
        return digest(data, 0, data.length);
    }

    /** Writes the digest of {@code data[off, off+len)} to {@code out[outOff, outOff+32)}. */
    public static void digestInto(byte[] data, int off, int len, byte[] out, int outOff) {
        java.util.Objects.checkFromIndexSize(off, len, data.length);
        digestInto(java.lang.foreign.MemorySegment.ofArray(data).asSlice(off, len), out, outOff);
    }

    /** The digest of {@code data}, on the heap or not (check reads packs into native memory). */
    public static byte[] digest(java.lang.foreign.MemorySegment data) {
        byte[] out = new byte[LENGTH];
        digestInto(data, out, 0);
        return out;
    }

    /** Writes the digest of {@code data} to {@code out[outOff, outOff+32)}. */
    public static void digestInto(java.lang.foreign.MemorySegment data, byte[] out, int outOff) {
        java.util.Objects.checkFromIndexSize(outOff, LENGTH, out.length);
        if (NativeCrypto.shaAvailable()) {
            NativeCrypto.sha256(data, out, outOff);
        } else {
            MessageDigest md = JDK.get();
            md.update(data.asByteBuffer());
            try {
                md.digest(out, outOff, LENGTH);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** HMAC-SHA-256 (RFC 2104) under one key. Not thread-safe: one per thread. */
    public static final class Hmac {
        private static final int BLOCK = 64;
        private final java.lang.foreign.MemorySegment inner; // SHA-256 state after key ^ ipad
        private final java.lang.foreign.MemorySegment outer; // SHA-256 state after key ^ opad
        private final byte[] innerDigest = new byte[LENGTH];
        private final Mac jdk;
        private java.lang.foreign.MemorySegment scratch; // native, for macOfSha256: the digest between the hashes

        public Hmac(byte[] key) {
            if (!NativeCrypto.shaAvailable()) {
                try {
                    jdk = Mac.getInstance("HmacSHA256");
                    jdk.init(new SecretKeySpec(key, "HmacSHA256"));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("cannot set up HMAC-SHA-256", e);
                }
                inner = outer = null;
                return;
            }
            jdk = null;
            byte[] k = key.length > BLOCK ? digest(key) : key;
            byte[] ipad = new byte[BLOCK];
            byte[] opad = new byte[BLOCK];
            Arrays.fill(ipad, (byte) 0x36);
            Arrays.fill(opad, (byte) 0x5c);
            for (int i = 0; i < k.length; i++) {
                ipad[i] ^= k[i];
                opad[i] ^= k[i];
            }
            inner = NativeCrypto.sha256State(ipad);
            outer = NativeCrypto.sha256State(opad);
            Arrays.fill(ipad, (byte) 0);
            Arrays.fill(opad, (byte) 0);
        }

        /** The MAC of {@code message}. */
        public byte[] mac(byte[] message) {
            if (jdk != null) {
                return jdk.doFinal(message);
            }
            NativeCrypto.sha256From(inner, message, 0, message.length, innerDigest, 0);
            byte[] out = new byte[LENGTH];
            NativeCrypto.sha256From(outer, innerDigest, 0, LENGTH, out, 0);
            return out;
        }

        /**
         * The MAC of the SHA-256 of {@code data}, into {@code out} (32 bytes, on the heap or not): with OpenSSL,
         * nothing is made on the heap (check identifies every blob of a repository this way).
         */
        public void macOfSha256(java.lang.foreign.MemorySegment data, java.lang.foreign.MemorySegment out) {
            if (out.byteSize() != LENGTH) {
                throw new IllegalArgumentException("a MAC is " + LENGTH + " bytes, not " + out.byteSize());
            }
            if (jdk != null) {
                java.lang.foreign.MemorySegment.copy(java.lang.foreign.MemorySegment.ofArray(mac(digest(data))), 0, out, 0, LENGTH);
                return;
            }
            if (scratch == null) {
                scratch = java.lang.foreign.Arena.ofAuto().allocate(LENGTH);
            }
            NativeCrypto.hmacOfSha256(data, inner, outer, scratch, out);
        }

        /** Overwrites the keyed states (they are the key, for all purposes); the MAC is unusable after. */
        void wipe() {
            if (jdk == null) {
                inner.fill((byte) 0);
                outer.fill((byte) 0);
            }
            if (scratch != null) {
                scratch.fill((byte) 0);
            }
            Arrays.fill(innerDigest, (byte) 0);
        }
    }

    /**
     * HKDF-SHA-256 (RFC 5869): extract with {@code salt}, expand with {@code info} to {@code length} bytes. On
     * {@link Hmac}, not the JDK's {@code KDF}: that one first loads the JDK's provider framework, ~15 ms on the way to
     * every command's first read (the key is derived on the main thread, after Argon2id). Tests hold it to the RFC's
     * vectors and to the JDK's.
     */
    public static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (length <= 0 || length > 255 * LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA-256 gives 1 to " + 255 * LENGTH + " bytes, not " + length);
        }
        Hmac extract = new Hmac(salt.length == 0 ? new byte[LENGTH] : salt);
        byte[] prk = extract.mac(ikm);
        extract.wipe();
        Hmac expand = new Hmac(prk);
        Arrays.fill(prk, (byte) 0);
        byte[] okm = new byte[length];
        byte[] t = new byte[0];
        for (int i = 1, done = 0; done < length; i++, done += LENGTH) {
            byte[] message = new byte[t.length + info.length + 1];
            System.arraycopy(t, 0, message, 0, t.length);
            System.arraycopy(info, 0, message, t.length, info.length);
            message[message.length - 1] = (byte) i;
            Arrays.fill(t, (byte) 0);
            t = expand.mac(message);
            System.arraycopy(t, 0, okm, done, Math.min(LENGTH, length - done));
            Arrays.fill(message, (byte) 0);
        }
        Arrays.fill(t, (byte) 0);
        expand.wipe();
        return okm;
    }
}
