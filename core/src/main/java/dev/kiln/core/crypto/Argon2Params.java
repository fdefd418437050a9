package dev.kiln.core.crypto;

/** Argon2id cost parameters, stored in each key file. */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {
    public Argon2Params {
        if (memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1 || parallelism > 255) {
            throw new IllegalArgumentException("invalid Argon2id parameters m=" + memoryKiB + " t=" + iterations + " p=" + parallelism);
        }
    }
}
