package dev.kiln.core.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.HexFormat;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Argon2id from the system's reference library ({@code libargon2.so.1}, Debian's {@code libargon2-1}) through FFM,
 * used by {@link Argon2id} when it is there and gives the known answer (ADR 0009): every command derives its key
 * first, and kiln's Java Argon2id runs as C1 code once the launcher has turned C2 off. The library fills the lanes
 * on threads of its own. {@code -Dkiln.crypto=jdk} turns it off, as it does OpenSSL.
 *
 * <p>A derivation with one lane and a 16-byte salt (the key files kiln writes where libsodium is, ADR 0010) runs in
 * libsodium ({@code libsodium.so.23}) when it is there and gives the known answer: its Argon2id picks the CPU's
 * vector instructions (AVX-512, AVX2 or SSSE3) where Debian's libargon2 is built without them, ~95 ms on one core
 * against ~120 ms on two for libargon2's two lanes (64 MiB, 3 passes). Its API takes only one lane and 16-byte salts.
 */
final class NativeArgon2 {
    private static final int ARGON2_OK = 0;
    /**
     * Argon2id v1.3 of "password" with salt "somesalt", 2 passes, 64 KiB, 2 lanes, 32 bytes: computed by kiln's
     * Java implementation, which is tested against RFC 9106's vector and BouncyCastle.
     */
    static final String KNOWN_ANSWER = "94387415dfb84ed1977465a1e8626073adf42bd4eeae1faa1dd4e23a1ff6859f";

    /**
     * libargon2, loaded when first asked for: a key file libsodium derives (one lane) never needs it, and a command
     * opening one then does not wait for its loading and known answer.
     */
    private static final class Reference {
        // int argon2id_hash_raw(uint32_t t_cost, uint32_t m_cost, uint32_t parallelism, const void *pwd, size_t pwdlen,
        //                       const void *salt, size_t saltlen, void *hash, size_t hashlen)
        static final MethodHandle HASH;
        static final String REASON;

        static {
            String[] why = new String[1];
            HASH = load(why);
            REASON = why[0];
        }
    }
    /** Argon2id v1.3, "password", salt "somesaltsomesalt", 2 passes, 64 KiB, 1 lane, 32 bytes (libargon2's answer, and kiln's). */
    static final String KNOWN_ANSWER_ONE_LANE = "1a98fba8e6394425c9bdc333a9c750aaf811df070f5fb4a5788e1cf4db5793a1";
    /** libsodium's salts are of this length, no other. */
    static final int SODIUM_SALT_BYTES = 16;
    private static final int SODIUM_ALG_ARGON2ID13 = 2;
    // int crypto_pwhash_argon2id(unsigned char *out, unsigned long long outlen, const char *passwd,
    //                            unsigned long long passwdlen, const unsigned char *salt, unsigned long long opslimit,
    //                            size_t memlimit, int alg)
    private static final MethodHandle SODIUM = loadSodium();
    private static String sodiumReason;

    private NativeArgon2() {
    }

    static boolean available() {
        return Reference.HASH != null;
    }

    static String unavailableReason() {
        return Reference.REASON;
    }

    /** Whether one-lane derivations with 16-byte salts run in libsodium. */
    static boolean sodiumAvailable() {
        return SODIUM != null;
    }

    static String sodiumUnavailableReason() {
        return sodiumReason;
    }

    /** Whether {@link #derive} takes these to libsodium. */
    static boolean bySodium(byte[] salt, Argon2Params params, int length) {
        return SODIUM != null && params.parallelism() == 1 && salt.length == SODIUM_SALT_BYTES && length >= 16;
    }

    private static MethodHandle loadSodium() {
        if ("jdk".equals(System.getProperty("kiln.crypto"))) {
            sodiumReason = "turned off by -Dkiln.crypto=jdk";
            return null;
        }
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup("libsodium.so.23", Arena.global());
            Linker linker = Linker.nativeLinker();
            MethodHandle init = linker.downcallHandle(lib.find("sodium_init").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
            int rc = (int) init.invokeExact(); // picks the implementations for this CPU; 1 when done before
            if (rc < 0) {
                sodiumReason = "libsodium.so.23: sodium_init failed";
                return null;
            }
            MethodHandle h = linker.downcallHandle(lib.find("crypto_pwhash_argon2id").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
            byte[] tag = callSodium(h, "password".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    "somesaltsomesalt".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new Argon2Params(64, 2, 1), 32);
            if (!HexFormat.of().formatHex(tag).equals(KNOWN_ANSWER_ONE_LANE)) {
                sodiumReason = "libsodium.so.23 gave a wrong answer: " + HexFormat.of().formatHex(tag);
                return null;
            }
            return h;
        } catch (Throwable t) {
            sodiumReason = "libsodium.so.23 not usable: " + t;
            return null;
        }
    }

    private static MethodHandle load(String[] reason) {
        if ("jdk".equals(System.getProperty("kiln.crypto"))) {
            reason[0] = "turned off by -Dkiln.crypto=jdk";
            return null;
        }
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup("libargon2.so.1", Arena.global());
            MethodHandle h = Linker.nativeLinker().downcallHandle(lib.find("argon2id_hash_raw").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
            byte[] tag = call(h, "password".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    "somesalt".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new Argon2Params(64, 2, 2), 32);
            if (!HexFormat.of().formatHex(tag).equals(KNOWN_ANSWER)) {
                reason[0] = "libargon2.so.1 gave a wrong answer: " + HexFormat.of().formatHex(tag);
                return null;
            }
            return h;
        } catch (Throwable t) {
            reason[0] = "libargon2.so.1 not usable: " + t;
            return null;
        }
    }

    /** In libsodium when {@link #bySodium} says so, otherwise in libargon2 (which must be {@link #available}). */
    static byte[] derive(byte[] password, byte[] salt, Argon2Params params, int length) {
        try {
            return bySodium(salt, params, length) ? callSodium(SODIUM, password, salt, params, length) : call(Reference.HASH, password, salt, params, length);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("libargon2 failed", t);
        }
    }

    private static byte[] callSodium(MethodHandle h, byte[] password, byte[] salt, Argon2Params params, int length) throws Throwable {
        if (salt.length != SODIUM_SALT_BYTES) {
            throw new IllegalArgumentException("libsodium takes " + SODIUM_SALT_BYTES + "-byte salts only");
        }
        return inNativeMemory(password, salt, length, "libsodium's Argon2id", (pwd, s, out) -> (int) h.invokeExact(out, (long) length,
                pwd, (long) password.length, s, (long) params.iterations(), params.memoryKiB() * 1024L, SODIUM_ALG_ARGON2ID13));
    }

    private static byte[] call(MethodHandle h, byte[] password, byte[] salt, Argon2Params params, int length) throws Throwable {
        return inNativeMemory(password, salt, length, "libargon2", (pwd, s, out) -> (int) h.invokeExact(params.iterations(),
                params.memoryKiB(), params.parallelism(), pwd, (long) password.length, s, (long) salt.length, out, (long) length));
    }

    /** A library's call on the password, the salt and the tag in native memory; 0 is success. */
    private interface NativeCall {
        int run(MemorySegment password, MemorySegment salt, MemorySegment tag) throws Throwable;
    }

    /**
     * A regular (not critical) call: it runs for a tenth of a second, and the collector must not wait for it. The
     * password's and the tag's native copies are zeroed after.
     */
    private static byte[] inNativeMemory(byte[] password, byte[] salt, int length, String library, NativeCall call) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pwd = arena.allocate(Math.max(1, password.length));
            MemorySegment.copy(password, 0, pwd, ValueLayout.JAVA_BYTE, 0, password.length);
            MemorySegment s = arena.allocateFrom(ValueLayout.JAVA_BYTE, salt);
            MemorySegment out = arena.allocate(length);
            try {
                int rc = call.run(pwd, s, out);
                if (rc != ARGON2_OK) {
                    throw new IllegalStateException(library + " error " + rc);
                }
                return out.toArray(ValueLayout.JAVA_BYTE);
            } finally {
                pwd.fill((byte) 0);
                out.fill((byte) 0);
            }
        }
    }
}
