package dev.kiln.core.chunk;

/**
 * FastCDC (Xia et al. 2016) with a keyed gear table, normalized chunking (NC level 2) and cut-point skipping.
 * The gear table is made from 2048 secret bytes (256 big-endian words), so chunk boundaries do not reveal
 * content to someone without the repository key. Stateless and thread-safe.
 */
public final class FastCdcChunker {
    private final long[] gear = new long[256];
    private final int min;
    private final int avg;
    private final int max;
    private final long maskSmall;
    private final long maskLarge;

    public FastCdcChunker(ChunkerParams params, byte[] gearSeed) {
        if (gearSeed.length != 2048) {
            throw new IllegalArgumentException("gear seed must be 2048 bytes");
        }
        for (int i = 0; i < 256; i++) {
            long v = 0;
            for (int k = 0; k < 8; k++) {
                v = (v << 8) | (gearSeed[i * 8 + k] & 0xffL);
            }
            gear[i] = v;
        }
        this.min = params.min();
        this.avg = params.avg();
        this.max = params.max();
        int bits = Integer.numberOfTrailingZeros(avg);
        // Bit i of a gear hash depends on the last i+1 bytes: test the top bits, leaving out bit 63.
        this.maskSmall = topBits(bits + 2) >>> 1;
        this.maskLarge = topBits(bits - 2) >>> 1;
    }

    private static long topBits(int n) {
        return n == 0 ? 0 : -1L << (64 - n);
    }

    public int maxSize() {
        return max;
    }

    /**
     * The length of the next chunk starting at {@code off}, given {@code n} available bytes. When fewer than
     * {@code max} bytes are available the caller must pass them only at end of input.
     */
    public int cut(byte[] b, int off, int n) {
        if (n <= min) {
            return n;
        }
        if (n > max) {
            n = max;
        }
        int normal = Math.min(avg, n);
        long h = 0;
        int i = min;
        for (; i < normal; i++) {
            h = (h << 1) + gear[b[off + i] & 0xff];
            if ((h & maskSmall) == 0) {
                return i + 1;
            }
        }
        for (; i < n; i++) {
            h = (h << 1) + gear[b[off + i] & 0xff];
            if ((h & maskLarge) == 0) {
                return i + 1;
            }
        }
        return n;
    }
}
