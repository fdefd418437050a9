package dev.kiln.core.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.HexFormat;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * SHA-256 and AES-256-GCM from the system's OpenSSL 3 ({@code libcrypto.so.3}) through the FFM API, used instead
 * of the JDK's providers when the library is there and passes a known-answer test (ADR 0008). The JDK reaches the
 * CPU's SHA and AES instructions only from C2-compiled code; OpenSSL reaches them from the first call, which lets
 * the launcher run the JVM without C2 (its compiles were 16-30 % of every command's CPU).
 *
 * <p>Calls are "critical" downcalls: they take the Java arrays in place (no copy) and hold off the garbage
 * collector while they run, so long inputs are fed in slices of {@link #SLICE} bytes (a few milliseconds each).
 * {@code -Dkiln.crypto=jdk} turns this off.
 */
final class NativeCrypto {
    static final int SLICE = 4 << 20;
    /** Room for a SHA256_CTX (112 bytes in OpenSSL 3), with margin. */
    private static final long SHA256_CTX_BYTES = 256;
    private static final int EVP_CTRL_GCM_GET_TAG = 0x10;
    private static final int EVP_CTRL_GCM_SET_TAG = 0x11;

    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "kiln-crypto-cleaner");
        t.setDaemon(true);
        return t;
    });

    /**
     * The library, or null when it is missing, refused or turned off. SHA-256 and AES-GCM are bound and tested
     * apart ({@link Sha}, {@link Gcm}), each once, when first needed: the key file's name (its SHA-256) is checked
     * while the cipher's functions are still being bound on the start-up thread ({@code Preload}), ~10 ms of stub
     * generation each, and the key's derivation does not wait for them.
     */
    private static final class Library {
        static final SymbolLookup LOOKUP;
        static final String REASON;

        static {
            SymbolLookup lookup = null;
            String reason = null;
            if ("jdk".equals(System.getProperty("kiln.crypto"))) {
                reason = "turned off by -Dkiln.crypto=jdk";
            } else {
                try {
                    lookup = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
                } catch (Throwable t) { // missing library, native access refused
                    reason = "libcrypto.so.3 not usable: " + t;
                }
            }
            LOOKUP = lookup;
            REASON = reason;
        }

        static MethodHandle bind(String name, FunctionDescriptor d, Linker.Option... options) {
            return Linker.nativeLinker().downcallHandle(LOOKUP.find(name).orElseThrow(() -> new IllegalStateException("libcrypto lacks " + name)), d, options);
        }
    }

    // The handles are constants (static finals): C1 (the launcher's only JIT, ADR 0008) can inline a call through a
    // constant method handle down to its native stub, not one through a handle read from an object's field (check
    // --read-data of src, ~12 calls per blob: the calls' Java side 240 -> 200 ms of CPU, one profile each).

    /**
     * Low-level SHA-256, on a context in this process's memory: OpenSSL 3's one-shot SHA256() and EVP_Digest* look
     * the algorithm up by name on every call, under locks that threads contended for.
     */
    private static final class Sha {
        static final MethodHandle INIT;      // int SHA256_Init(SHA256_CTX *c)
        static final MethodHandle UPDATE;    // int SHA256_Update(SHA256_CTX *c, const void *data, size_t len)
        static final MethodHandle FINAL;     // int SHA256_Final(unsigned char *md, SHA256_CTX *c)
        static final ThreadLocal<MemorySegment> CONTEXTS = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SHA256_CTX_BYTES, 16));
        static final String REASON;
        static final boolean AVAILABLE;

        static {
            MethodHandle init = null;
            MethodHandle update = null;
            MethodHandle fin = null;
            String reason = Library.REASON;
            if (Library.LOOKUP != null) {
                try {
                    Linker.Option critical = Linker.Option.critical(true);
                    init = Library.bind("SHA256_Init", FunctionDescriptor.of(JAVA_INT, ADDRESS), critical);
                    update = Library.bind("SHA256_Update", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), critical);
                    fin = Library.bind("SHA256_Final", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), critical);
                } catch (Throwable t) {
                    reason = "libcrypto.so.3 not usable: " + t;
                    init = update = fin = null;
                }
            }
            INIT = init;
            UPDATE = update;
            FINAL = fin;
            String failure = init == null ? reason : selfTest(Sha::test);
            REASON = failure;
            AVAILABLE = failure == null;
        }

        /** SHA-256 of "abc" (FIPS 180-2); null when right. */
        private static String test() {
            byte[] abc = new byte[32];
            digest(null, MemorySegment.ofArray("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), abc, 0);
            return HexFormat.of().formatHex(abc).equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") ? null : "SHA-256";
        }
    }

    /** AES-256-GCM through the EVP interface, with the cipher fetched once. */
    private static final class Gcm {
        static final MethodHandle CTX_NEW;        // EVP_CIPHER_CTX *EVP_CIPHER_CTX_new(void)
        static final MethodHandle CTX_FREE;       // void EVP_CIPHER_CTX_free(EVP_CIPHER_CTX *ctx)
        static final MethodHandle ENCRYPT_INIT;   // int EVP_EncryptInit_ex(ctx, const EVP_CIPHER *, ENGINE *, const unsigned char *key, const unsigned char *iv)
        static final MethodHandle ENCRYPT_UPDATE; // int EVP_EncryptUpdate(ctx, unsigned char *out, int *outl, const unsigned char *in, int inl)
        static final MethodHandle ENCRYPT_FINAL;  // int EVP_EncryptFinal_ex(ctx, unsigned char *out, int *outl)
        static final MethodHandle DECRYPT_INIT;
        static final MethodHandle DECRYPT_UPDATE;
        static final MethodHandle DECRYPT_FINAL;
        static final MethodHandle CTRL;           // int EVP_CIPHER_CTX_ctrl(ctx, int type, int arg, void *ptr)
        static final MemorySegment AES_256_GCM;
        static final String REASON;
        static final boolean AVAILABLE;

        static {
            MethodHandle[] h = new MethodHandle[9];
            MemorySegment cipher = null;
            String reason = Library.REASON;
            if (Library.LOOKUP != null) {
                try {
                    Linker.Option critical = Linker.Option.critical(true);
                    FunctionDescriptor init = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
                    FunctionDescriptor update = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
                    FunctionDescriptor fin = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
                    h[0] = Library.bind("EVP_CIPHER_CTX_new", FunctionDescriptor.of(ADDRESS));
                    h[1] = Library.bind("EVP_CIPHER_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
                    h[2] = Library.bind("EVP_EncryptInit_ex", init, critical);
                    h[3] = Library.bind("EVP_EncryptUpdate", update, critical);
                    h[4] = Library.bind("EVP_EncryptFinal_ex", fin, critical);
                    h[5] = Library.bind("EVP_DecryptInit_ex", init, critical);
                    h[6] = Library.bind("EVP_DecryptUpdate", update, critical);
                    h[7] = Library.bind("EVP_DecryptFinal_ex", fin, critical);
                    h[8] = Library.bind("EVP_CIPHER_CTX_ctrl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), critical);
                    MethodHandle fetch = Library.bind("EVP_CIPHER_fetch", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
                    try (Arena arena = Arena.ofConfined()) {
                        // fetched once: EVP_aes_256_gcm() would look the implementation up again at every key setup
                        cipher = (MemorySegment) fetch.invokeExact(MemorySegment.NULL, arena.allocateFrom("AES-256-GCM"), MemorySegment.NULL);
                    }
                    if (cipher.address() == 0) {
                        throw new IllegalStateException("OpenSSL has no AES-256-GCM");
                    }
                } catch (Throwable t) {
                    reason = "libcrypto.so.3 not usable: " + t;
                    h = new MethodHandle[9];
                    cipher = null;
                }
            }
            CTX_NEW = h[0];
            CTX_FREE = h[1];
            ENCRYPT_INIT = h[2];
            ENCRYPT_UPDATE = h[3];
            ENCRYPT_FINAL = h[4];
            DECRYPT_INIT = h[5];
            DECRYPT_UPDATE = h[6];
            DECRYPT_FINAL = h[7];
            CTRL = h[8];
            AES_256_GCM = cipher;
            String failure = cipher == null ? reason : selfTest(Gcm::test);
            REASON = failure;
            AVAILABLE = failure == null;
        }

        /** An AES-256-GCM seal and open (NIST GCM test case 16), and a damaged message refused; null when right. */
        private static String test() {
            HexFormat hex = HexFormat.of();
            byte[] key = hex.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
            byte[] iv = hex.parseHex("cafebabefacedbaddecaf888");
            byte[] plain = hex.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
                    + "b16aedf5aa0de657ba637b39");
            byte[] aad = hex.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
            String expected = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838"
                    + "c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b";
            CipherContext enc = new CipherContext(key, true);
            CipherContext dec = new CipherContext(key, false);
            byte[] out = new byte[plain.length + 16];
            enc.seal(iv, 0, aad, plain, 0, plain.length, out, 0);
            if (!hex.formatHex(out).equals(expected)) {
                return "AES-256-GCM seal";
            }
            byte[] back = new byte[plain.length];
            if (!dec.open(iv, 0, aad, out, 0, out.length, back, 0) || !Arrays.equals(back, plain)) {
                return "AES-256-GCM open";
            }
            out[5] ^= 1;
            if (dec.open(iv, 0, aad, out, 0, out.length, back, 0)) {
                return "AES-256-GCM accepted a damaged message";
            }
            return null;
        }
    }

    /** Runs a known-answer test: null when it passes, otherwise why the library is not used. */
    private static String selfTest(java.util.function.Supplier<String> test) {
        try {
            String failure = test.get();
            return failure == null ? null : "libcrypto.so.3 failed its known-answer test: " + failure;
        } catch (RuntimeException | Error e) {
            return "libcrypto.so.3 not usable: " + e;
        }
    }

    private NativeCrypto() {
    }

    /** Whether both SHA-256 and AES-GCM are OpenSSL's. */
    static boolean available() {
        return shaAvailable() && gcmAvailable();
    }

    /** Whether SHA-256 (and so HMAC) is OpenSSL's; binds it on the first call. */
    static boolean shaAvailable() {
        return Sha.AVAILABLE;
    }

    /** Whether AES-256-GCM is OpenSSL's; binds it on the first call. */
    static boolean gcmAvailable() {
        return Gcm.AVAILABLE;
    }

    /** Why the native library is not used (for diagnostics), or null when it is. */
    static String unavailableReason() {
        return Sha.REASON != null ? Sha.REASON : Gcm.REASON;
    }

    /** The SHA-256 state after {@code data} (whole 64-byte blocks), in memory of its own. */
    static MemorySegment state(byte[] data) {
        if (data.length % 64 != 0) {
            throw new IllegalArgumentException("a state is kept after whole blocks only");
        }
        MemorySegment state = Arena.ofAuto().allocate(SHA256_CTX_BYTES, 16);
        try {
            check((int) Sha.INIT.invokeExact(state), "SHA256_Init");
            check((int) Sha.UPDATE.invokeExact(state, MemorySegment.ofArray(data), (long) data.length), "SHA256_Update");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("OpenSSL SHA-256 failed", t);
        }
        return state;
    }

    /** SHA-256 of {@code data} (on the heap or not), from {@code from} (a {@link #state}, left as it is) or from the start when null. */
    static void digest(MemorySegment from, MemorySegment data, byte[] out, int outOff) {
        MemorySegment ctx = Sha.CONTEXTS.get();
        try {
            if (from == null) {
                check((int) Sha.INIT.invokeExact(ctx), "SHA256_Init");
            } else {
                MemorySegment.copy(from, 0, ctx, 0, SHA256_CTX_BYTES);
            }
            long len = data.byteSize();
            for (long done = 0; done < len; ) {
                long n = Math.min(SLICE, len - done);
                check((int) Sha.UPDATE.invokeExact(ctx, data.asSlice(done, n), n), "SHA256_Update");
                done += n;
            }
            check((int) Sha.FINAL.invokeExact(MemorySegment.ofArray(out).asSlice(outOff, 32), ctx), "SHA256_Final");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("OpenSSL SHA-256 failed", t);
        }
    }

    /**
     * HMAC-SHA-256 of the SHA-256 of {@code data}, from the keyed pads' states {@code inner} and {@code outer}, into
     * {@code out} (32 bytes): a blob's id, with nothing made on the heap (check computes ~100,000 of them, and the JVM
     * runs without C2, so every segment wrapping an array was an object). {@code scratch} is 32 bytes of the caller's.
     */
    static void hmacOfSha256(MemorySegment data, MemorySegment inner, MemorySegment outer, MemorySegment scratch, MemorySegment out) {
        MemorySegment ctx = Sha.CONTEXTS.get();
        try {
            check((int) Sha.INIT.invokeExact(ctx), "SHA256_Init");
            long len = data.byteSize();
            for (long done = 0; done < len; ) {
                long n = Math.min(SLICE, len - done);
                MemorySegment slice = n == len ? data : data.asSlice(done, n); // (a variable: invokeExact takes its type)
                check((int) Sha.UPDATE.invokeExact(ctx, slice, n), "SHA256_Update");
                done += n;
            }
            check((int) Sha.FINAL.invokeExact(scratch, ctx), "SHA256_Final");
            MemorySegment.copy(inner, 0, ctx, 0, SHA256_CTX_BYTES);
            check((int) Sha.UPDATE.invokeExact(ctx, scratch, 32L), "SHA256_Update");
            check((int) Sha.FINAL.invokeExact(scratch, ctx), "SHA256_Final");
            MemorySegment.copy(outer, 0, ctx, 0, SHA256_CTX_BYTES);
            check((int) Sha.UPDATE.invokeExact(ctx, scratch, 32L), "SHA256_Update");
            check((int) Sha.FINAL.invokeExact(out, ctx), "SHA256_Final");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("OpenSSL SHA-256 failed", t);
        }
    }

    /**
     * The SHA-256 state after {@code blocks} (whole 64-byte blocks), to go on from with {@link #sha256From}: HMAC
     * keeps its two keyed pads this way and hashes two blocks less per message.
     */
    static MemorySegment sha256State(byte[] blocks) {
        return state(blocks);
    }

    /** SHA-256 of what {@code state} absorbed followed by {@code data[off, off+len)}; the state stays as it was. */
    static void sha256From(MemorySegment state, byte[] data, int off, int len, byte[] out, int outOff) {
        digest(java.util.Objects.requireNonNull(state), MemorySegment.ofArray(data).asSlice(off, len), out, outOff);
    }

    /** SHA-256 of {@code data} (on the heap, or a pack read into native memory) into {@code out[outOff, outOff+32)}. */
    static void sha256(MemorySegment data, byte[] out, int outOff) {
        digest(null, data, out, outOff);
    }

    private static void check(int rc, String call) {
        if (rc != 1) {
            throw new IllegalStateException("OpenSSL " + call + " failed");
        }
    }

    /** A new AES-256-GCM context for this key, for sealing or for opening; one thread at a time. */
    static CipherContext cipher(byte[] key, boolean encrypt) {
        return new CipherContext(key, encrypt);
    }

    /**
     * An OpenSSL cipher context with the key schedule done once; each message sets only its nonce. Freed when
     * unreachable.
     */
    static final class CipherContext {
        private final MemorySegment ctx;
        private final boolean encrypt;
        /** EVP's output length, and the segment over it made once (not at each call). */
        private final int[] outLengthArray = new int[1];
        private final MemorySegment outLength = MemorySegment.ofArray(outLengthArray);

        private CipherContext(byte[] key, boolean encrypt) {
            this.encrypt = encrypt;
            try {
                ctx = (MemorySegment) Gcm.CTX_NEW.invokeExact();
                if (ctx.address() == 0) {
                    throw new OutOfMemoryError("EVP_CIPHER_CTX_new");
                }
                long address = ctx.address();
                MethodHandle free = Gcm.CTX_FREE;
                CLEANER.register(this, () -> {
                    try {
                        free.invokeExact(MemorySegment.ofAddress(address));
                    } catch (Throwable ignored) {
                        // nothing to do at cleanup
                    }
                });
                MemorySegment k = MemorySegment.ofArray(key);
                int rc = encrypt ? (int) Gcm.ENCRYPT_INIT.invokeExact(ctx, Gcm.AES_256_GCM, MemorySegment.NULL, k, MemorySegment.NULL)
                        : (int) Gcm.DECRYPT_INIT.invokeExact(ctx, Gcm.AES_256_GCM, MemorySegment.NULL, k, MemorySegment.NULL);
                check(rc, "EVP_CipherInit_ex");
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("OpenSSL AES-GCM set-up failed", t);
            }
        }

        /** Encrypts {@code plain[off, off+len)} to {@code out[outOff...]}: ciphertext then the 16-byte tag. */
        void seal(byte[] nonce, int nonceOff, byte[] aad, byte[] plain, int off, int len, byte[] out, int outOff) {
            try {
                MemorySegment to = MemorySegment.ofArray(out).asSlice(outOff, len + 16L);
                int written = begin(MemorySegment.ofArray(nonce).asSlice(nonceOff, 12), MemorySegment.ofArray(aad), MemorySegment.ofArray(plain).asSlice(off, len), to);
                check((int) Gcm.ENCRYPT_FINAL.invokeExact(ctx, to.asSlice(written), outLength), "EVP_EncryptFinal_ex");
                written += outLengthArray[0];
                if (written != len) {
                    throw new IllegalStateException("OpenSSL AES-GCM wrote " + written + " of " + len + " bytes");
                }
                check((int) Gcm.CTRL.invokeExact(ctx, EVP_CTRL_GCM_GET_TAG, 16, to.asSlice(len, 16)), "EVP_CTRL_GCM_GET_TAG");
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("OpenSSL AES-GCM encryption failed", t);
            }
        }

        /**
         * Authenticates and decrypts {@code sealed[off, off+len)} (ciphertext then tag) into {@code out[outOff...]};
         * false when the tag does not match (the output then holds unauthenticated bytes and must be ignored).
         */
        boolean open(byte[] nonce, int nonceOff, byte[] aad, byte[] sealed, int off, int len, byte[] out, int outOff) {
            return open(MemorySegment.ofArray(nonce).asSlice(nonceOff, 12), MemorySegment.ofArray(aad), MemorySegment.ofArray(sealed).asSlice(off, len),
                    MemorySegment.ofArray(out).asSlice(outOff, len - 16L));
        }

        /**
         * As above, for a message anywhere (a pack read into native memory): {@code sealed} is the ciphertext then the
         * tag, {@code out} exactly as long as the ciphertext.
         */
        boolean open(MemorySegment nonce, MemorySegment aad, MemorySegment sealed, MemorySegment out) {
            long textLength = sealed.byteSize() - 16;
            try {
                int written = begin(nonce, aad, sealed.asSlice(0, textLength), out);
                check((int) Gcm.CTRL.invokeExact(ctx, EVP_CTRL_GCM_SET_TAG, 16, sealed.asSlice(textLength, 16)), "EVP_CTRL_GCM_SET_TAG");
                int ok = (int) Gcm.DECRYPT_FINAL.invokeExact(ctx, out.asSlice(written), outLength);
                return ok > 0 && written + outLengthArray[0] == textLength;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("OpenSSL AES-GCM decryption failed", t);
            }
        }

        /** Sets the nonce, feeds the associated data and then {@code in} in slices into {@code out}; returns the bytes written. */
        private int begin(MemorySegment iv, MemorySegment aad, MemorySegment in, MemorySegment out) throws Throwable {
            MemorySegment outl = outLength;
            int rc = encrypt ? (int) Gcm.ENCRYPT_INIT.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, iv)
                    : (int) Gcm.DECRYPT_INIT.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, iv);
            check(rc, "EVP_CipherInit_ex");
            if (aad.byteSize() > 0) {
                check(update(ctx, MemorySegment.NULL, outl, aad, Math.toIntExact(aad.byteSize())), "EVP_CipherUpdate");
            }
            int written = 0;
            long len = in.byteSize();
            for (long done = 0; done < len; ) {
                int n = (int) Math.min(SLICE, len - done);
                MemorySegment to = written == 0 ? out : out.asSlice(written); // (variables: invokeExact takes their types)
                MemorySegment from = n == len ? in : in.asSlice(done, n);
                check(update(ctx, to, outl, from, n), "EVP_CipherUpdate");
                written += outLengthArray[0];
                done += n;
            }
            return written;
        }

        private int update(MemorySegment ctx, MemorySegment out, MemorySegment outl, MemorySegment in, int n) throws Throwable {
            return encrypt ? (int) Gcm.ENCRYPT_UPDATE.invokeExact(ctx, out, outl, in, n) : (int) Gcm.DECRYPT_UPDATE.invokeExact(ctx, out, outl, in, n);
        }
    }
}
