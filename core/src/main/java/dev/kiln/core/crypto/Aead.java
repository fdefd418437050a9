package dev.kiln.core.crypto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce per message. A sealed message is {@code nonce(12) || ciphertext ||
 * tag(16)}. The associated data binds a message to its role (and a blob to its id). Thread-safe. OpenSSL's
 * implementation when {@link NativeCrypto} is usable, the JDK's otherwise: the same bytes either way.
 */
public final class Aead {
    public static final int NONCE = 12;
    public static final int TAG = 16;
    public static final int OVERHEAD = NONCE + TAG;
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private final SecretKey key;
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(Aead::newCipher);
    /** OpenSSL contexts with this key's schedule, one per thread and direction, when {@link NativeCrypto} is usable. */
    private final ThreadLocal<NativeCrypto.CipherContext> sealers;
    private final ThreadLocal<NativeCrypto.CipherContext> openers;

    /** Loads the JDK's secure random source (its security providers, ~10 ms), for a caller that wants it ahead of use. */
    public static void loadRandom() {
        new SecureRandom().nextInt();
    }

    public Aead(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key");
        }
        this.key = new SecretKeySpec(key, "AES");
        if (NativeCrypto.gcmAvailable()) {
            byte[] copy = key.clone();
            sealers = ThreadLocal.withInitial(() -> NativeCrypto.cipher(copy, true));
            openers = ThreadLocal.withInitial(() -> NativeCrypto.cipher(copy, false));
        } else {
            sealers = openers = null;
        }
    }

    /** Encrypts {@code plain[off, off+len)} into a new array {@code nonce || ciphertext || tag}. */
    public byte[] seal(byte[] plain, int off, int len, byte[] aad) {
        byte[] out = new byte[NONCE + len + TAG];
        sealInto(plain, off, len, aad, out, 0);
        return out;
    }

    public byte[] seal(byte[] plain, byte[] aad) {
        return seal(plain, 0, plain.length, aad);
    }

    /** Encrypts into {@code out} at {@code outOff}; writes {@code len + OVERHEAD} bytes. */
    public void sealInto(byte[] plain, int off, int len, byte[] aad, byte[] out, int outOff) {
        byte[] nonce = new byte[NONCE];
        RANDOM.get().nextBytes(nonce);
        System.arraycopy(nonce, 0, out, outOff, NONCE);
        if (sealers != null) { // (OpenSSL writes where it is told: the bounds are checked here)
            java.util.Objects.checkFromIndexSize(off, len, plain.length);
            java.util.Objects.checkFromIndexSize(outOff, len + OVERHEAD, out.length);
            sealers.get().seal(nonce, 0, aad, plain, off, len, out, outOff + NONCE);
            return;
        }
        Cipher c = ciphers.get();
        try {
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
            c.updateAAD(aad);
            c.doFinal(plain, off, len, out, outOff + NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Authenticates and decrypts a sealed message; {@code what} names it in the error. */
    public byte[] open(byte[] sealed, int off, int len, byte[] aad, String what) throws IntegrityException {
        byte[] out = new byte[Math.max(0, len - OVERHEAD)];
        openInto(sealed, off, len, aad, what, out, 0);
        return out;
    }

    /**
     * Authenticates and decrypts a sealed message into {@code out} (at least {@code len - OVERHEAD} bytes from
     * {@code outOff}, not overlapping the input); returns the plaintext's length.
     */
    public int openInto(byte[] sealed, int off, int len, byte[] aad, String what, byte[] out, int outOff) throws IntegrityException {
        return openInto(sealed, off, len, aad, () -> what, out, outOff);
    }

    /** As above, with the name made only for an error (a check opens every blob: ~100,000 names unmade for src). */
    public int openInto(byte[] sealed, int off, int len, byte[] aad, java.util.function.Supplier<String> name, byte[] out, int outOff)
            throws IntegrityException {
        if (len < OVERHEAD) {
            throw new IntegrityException(name.get() + ": sealed message of " + len + " bytes is shorter than " + OVERHEAD);
        }
        return openInto(MemorySegment.ofArray(sealed).asSlice(off, len), aad, name, out, outOff);
    }

    /**
     * As above, for a sealed message anywhere ({@code nonce || ciphertext || tag}; check reads packs into native
     * memory): the plaintext goes to {@code out} from {@code outOff}.
     */
    public int openInto(MemorySegment sealed, byte[] aad, java.util.function.Supplier<String> name, byte[] out, int outOff)
            throws IntegrityException {
        int textLength = textLength(sealed, name);
        java.util.Objects.checkFromIndexSize(outOff, textLength, out.length);
        return openInto(sealed, aad, name, MemorySegment.ofArray(out).asSlice(outOff, textLength));
    }

    /** As above, into {@code out} (on the heap or not), at least as long as the plaintext. */
    public int openInto(MemorySegment sealed, byte[] aad, java.util.function.Supplier<String> name, MemorySegment out)
            throws IntegrityException {
        return openInto(sealed, MemorySegment.ofArray(aad), name, out);
    }

    /** As above, with the associated data in a segment (a reader of many blobs reuses one for it). */
    public int openInto(MemorySegment sealed, MemorySegment aad, java.util.function.Supplier<String> name, MemorySegment out)
            throws IntegrityException {
        int textLength = textLength(sealed, name);
        MemorySegment to = out.asSlice(0, textLength);
        if (openers != null) {
            if (!openers.get().open(sealed.asSlice(0, NONCE), aad, sealed.asSlice(NONCE), to)) {
                to.fill((byte) 0); // no unauthenticated bytes left behind
                throw new IntegrityException(name.get() + ": authentication failed (damaged, or not written with this key)");
            }
            return textLength;
        }
        Cipher c = ciphers.get();
        try {
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, sealed.asSlice(0, NONCE).toArray(ValueLayout.JAVA_BYTE)));
            c.updateAAD(aad.toArray(ValueLayout.JAVA_BYTE));
            return c.doFinal(sealed.asSlice(NONCE).asByteBuffer(), to.asByteBuffer());
        } catch (AEADBadTagException e) {
            throw new IntegrityException(name.get() + ": authentication failed (damaged, or not written with this key)");
        } catch (GeneralSecurityException e) {
            throw new IntegrityException(name.get() + ": cannot decrypt: " + e.getMessage(), e);
        }
    }

    private static int textLength(MemorySegment sealed, java.util.function.Supplier<String> name) throws IntegrityException {
        long len = sealed.byteSize();
        if (len < OVERHEAD) {
            throw new IntegrityException(name.get() + ": sealed message of " + len + " bytes is shorter than " + OVERHEAD);
        }
        return Math.toIntExact(len - OVERHEAD);
    }

    public byte[] open(byte[] sealed, byte[] aad, String what) throws IntegrityException {
        return open(sealed, 0, sealed.length, aad, what);
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/GCM", e);
        }
    }
}
