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
 */
final class NativeArgon2 {
    private static final int ARGON2_OK = 0;
    /**
     * Argon2id v1.3 of "password" with salt "somesalt", 2 passes, 64 KiB, 2 lanes, 32 bytes: computed by kiln's
     * Java implementation, which is tested against RFC 9106's vector and BouncyCastle.
     */
    static final String KNOWN_ANSWER = "94387415dfb84ed1977465a1e8626073adf42bd4eeae1faa1dd4e23a1ff6859f";

    // int argon2id_hash_raw(uint32_t t_cost, uint32_t m_cost, uint32_t parallelism, const void *pwd, size_t pwdlen,
    //                       const void *salt, size_t saltlen, void *hash, size_t hashlen)
    private static final MethodHandle HASH = load();
    private static String reason;

    private NativeArgon2() {
    }

    static boolean available() {
        return HASH != null;
    }

    static String unavailableReason() {
        return reason;
    }

    private static MethodHandle load() {
        if ("jdk".equals(System.getProperty("kiln.crypto"))) {
            reason = "turned off by -Dkiln.crypto=jdk";
            return null;
        }
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup("libargon2.so.1", Arena.global());
            MethodHandle h = Linker.nativeLinker().downcallHandle(lib.find("argon2id_hash_raw").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
            byte[] tag = call(h, "password".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    "somesalt".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new Argon2Params(64, 2, 2), 32);
            if (!HexFormat.of().formatHex(tag).equals(KNOWN_ANSWER)) {
                reason = "libargon2.so.1 gave a wrong answer: " + HexFormat.of().formatHex(tag);
                return null;
            }
            return h;
        } catch (Throwable t) {
            reason = "libargon2.so.1 not usable: " + t;
            return null;
        }
    }

    static byte[] derive(byte[] password, byte[] salt, Argon2Params params, int length) {
        try {
            return call(HASH, password, salt, params, length);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("libargon2 failed", t);
        }
    }

    /** A regular (not critical) call: it runs for a tenth of a second, and the collector must not wait for it. */
    private static byte[] call(MethodHandle h, byte[] password, byte[] salt, Argon2Params params, int length) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pwd = arena.allocate(Math.max(1, password.length));
            MemorySegment.copy(password, 0, pwd, ValueLayout.JAVA_BYTE, 0, password.length);
            MemorySegment s = arena.allocateFrom(ValueLayout.JAVA_BYTE, salt);
            MemorySegment out = arena.allocate(length);
            try {
                int rc = (int) h.invokeExact(params.iterations(), params.memoryKiB(), params.parallelism(),
                        pwd, (long) password.length, s, (long) salt.length, out, (long) length);
                if (rc != ARGON2_OK) {
                    throw new IllegalStateException("libargon2 error " + rc);
                }
                return out.toArray(ValueLayout.JAVA_BYTE);
            } finally {
                pwd.fill((byte) 0);
                out.fill((byte) 0);
            }
        }
    }
}
