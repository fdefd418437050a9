package dev.kiln.core.crypto;

/** Argon2id cost parameters, stored in each key file. */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {
    /** 64 MiB, 3 passes, 2 lanes: the parameters of key files before ADR 0010 ({@link Argon2id#defaultParams} now). */
    public static final Argon2Params TWO_LANES = new Argon2Params(64 * 1024, 3, 2);

    public Argon2Params {
        if (memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1 || parallelism > 255) {
            throw new IllegalArgumentException("invalid Argon2id parameters m=" + memoryKiB + " t=" + iterations + " p=" + parallelism);
        }
    }
}
