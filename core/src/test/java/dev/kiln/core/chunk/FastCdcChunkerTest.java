package dev.kiln.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FastCdcChunkerTest {
    private static final ChunkerParams SMALL = new ChunkerParams(2048, 8192, 65536);

    /** A fixed gear seed from a seeded generator. */
    static byte[] gearSeed() {
        byte[] seed = new byte[2048];
        new SplittableRandom(20261123).nextBytes(seed);
        return seed;
    }

    static byte[] input(int size) {
        byte[] data = new byte[size];
        new SplittableRandom(42).nextBytes(data);
        return data;
    }

    static List<Integer> boundaries(FastCdcChunker c, byte[] data) {
        List<Integer> cuts = new ArrayList<>();
        int off = 0;
        while (off < data.length) {
            off += c.cut(data, off, data.length - off);
            cuts.add(off);
        }
        return cuts;
    }

    /**
     * Recorded from this implementation when the format was fixed (2026-11-23) and checked against the
     * independent single-loop reference below; a change here changes every repository's chunk boundaries.
     */
    @Test
    void seededInputHasRecordedBoundaries() {
        List<Integer> cuts = boundaries(new FastCdcChunker(SMALL, gearSeed()), input(1 << 17));
        assertThat(cuts).containsExactly(RECORDED);
    }

    static final Integer[] RECORDED = {11477, 19735, 27978, 36602, 45410, 55033, 65405, 82001, 90455, 99450, 104209, 112668, 124269, 131072};

    @Test
    void agreesWithReferenceLoop() {
        byte[] seed = gearSeed();
        byte[] data = input(4 << 20);
        FastCdcChunker chunker = new FastCdcChunker(SMALL, seed);
        List<Integer> expected = new ArrayList<>();
        int off = 0;
        while (off < data.length) {
            off += referenceCut(seed, data, off, data.length - off);
            expected.add(off);
        }
        assertThat(boundaries(chunker, data)).isEqualTo(expected);
    }

    /** FastCDC (Xia et al. 2016, Algorithm 2 with NC-2) written as one loop, as a cross-check. */
    private static int referenceCut(byte[] seed, byte[] b, int off, int n) {
        long[] gear = new long[256];
        for (int i = 0; i < 256; i++) {
            gear[i] = java.nio.ByteBuffer.wrap(seed, i * 8, 8).getLong();
        }
        int bits = 13; // log2(8192)
        long maskS = (-1L << (64 - (bits + 2))) >>> 1;
        long maskL = (-1L << (64 - (bits - 2))) >>> 1;
        int limit = Math.min(n, SMALL.max());
        if (n <= SMALL.min()) {
            return n;
        }
        long h = 0;
        for (int i = SMALL.min(); i < limit; i++) {
            h = (h << 1) + gear[b[off + i] & 0xff];
            long mask = i < Math.min(SMALL.avg(), limit) ? maskS : maskL;
            if ((h & mask) == 0) {
                return i + 1;
            }
        }
        return limit;
    }

    @Test
    void chunksRespectSizesAndAverage() {
        byte[] data = input(8 << 20);
        List<Integer> cuts = boundaries(new FastCdcChunker(SMALL, gearSeed()), data);
        int prev = 0;
        for (int i = 0; i < cuts.size(); i++) {
            int size = cuts.get(i) - prev;
            if (i < cuts.size() - 1) {
                assertThat(size).isBetween(SMALL.min() + 1, SMALL.max());
            }
            prev = cuts.get(i);
        }
        double mean = (double) data.length / cuts.size();
        assertThat(mean).isBetween(SMALL.avg() * 0.7, SMALL.avg() * 1.6);
    }

    @Test
    void boundariesSurviveAnInsertion() {
        byte[] data = input(4 << 20);
        byte[] shifted = new byte[data.length + 100];
        System.arraycopy(data, 0, shifted, 100, data.length);
        FastCdcChunker c = new FastCdcChunker(SMALL, gearSeed());
        Set<Integer> a = new HashSet<>(boundaries(c, data));
        long kept = boundaries(c, shifted).stream().filter(x -> a.contains(x - 100)).count();
        assertThat(kept).isGreaterThan((long) (a.size() * 0.95));
    }

    @Test
    void differentKeysCutDifferently() {
        byte[] other = gearSeed();
        other[0] ^= 1;
        other[100] ^= 1;
        for (int i = 0; i < other.length; i += 8) {
            other[i] ^= (byte) 0x80;
        }
        byte[] data = input(1 << 20);
        assertThat(boundaries(new FastCdcChunker(SMALL, other), data))
                .isNotEqualTo(boundaries(new FastCdcChunker(SMALL, gearSeed()), data));
    }
}
