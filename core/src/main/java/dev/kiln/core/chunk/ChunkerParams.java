package dev.kiln.core.chunk;

/** FastCDC sizes. The average must be a power of two; min &lt; avg &lt; max. */
public record ChunkerParams(int min, int avg, int max) {
    public static final ChunkerParams DEFAULT = new ChunkerParams(512 * 1024, 1024 * 1024, 8 * 1024 * 1024);

    public ChunkerParams {
        if (min < 64 || !(min < avg && avg < max) || Integer.bitCount(avg) != 1 || max > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("invalid chunker sizes min=" + min + " avg=" + avg + " max=" + max);
        }
    }
}
