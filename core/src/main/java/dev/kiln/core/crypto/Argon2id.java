package dev.kiln.core.crypto;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Argon2id (RFC 9106, version 0x13) through BouncyCastle's lightweight API. */
public final class Argon2id {
    private Argon2id() {
    }

    public static byte[] derive(byte[] password, byte[] salt, Argon2Params params, int length) {
        return derive(password, salt, null, null, params, length);
    }

    /** With the optional secret and associated data of RFC 9106 (used by its test vector). */
    public static byte[] derive(byte[] password, byte[] salt, byte[] secret, byte[] ad, Argon2Params params, int length) {
        var builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKiB())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .withSalt(salt);
        if (secret != null) {
            builder.withSecret(secret);
        }
        if (ad != null) {
            builder.withAdditional(ad);
        }
        var generator = new Argon2BytesGenerator();
        generator.init(builder.build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}
