package dev.kiln.core.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Argon2id (RFC 9106, version 0x13) with its lanes computed in parallel, one thread per lane.
 *
 * <p>Every command derives a key this way before it can read anything, so the key derivation is a fixed cost of
 * each run: BouncyCastle's generator computes the lanes one after the other (64 MiB, 3 passes, 2 lanes: ~0.3 s warm,
 * ~0.5 s as the first code of a fresh JVM). RFC 9106 §3.4 lets the lanes of one slice be filled independently; they
 * meet at the 4 sync points of each pass. Blake2b (for H0 and the variable-length hash H') comes from BouncyCastle.
 * Tested against the RFC's vector and against BouncyCastle on random parameters.
 */
public final class Argon2id {
    private static final int BLOCK_LONGS = 128;
    private static final int SYNC_POINTS = 4;
    private static final int VERSION = 0x13;
    private static final int TYPE_ID = 2;
    private static final int ADDRESSES_IN_BLOCK = 128;

    private Argon2id() {
    }

    /** Whether derivations run in the system's libargon2 (see {@link NativeArgon2}); the first call loads it. */
    public static boolean isNative() {
        return NativeArgon2.available();
    }

    /**
     * The parameters of a new key file: 64 MiB and 3 passes, in one lane where libsodium derives it (~95 ms on one
     * core), otherwise in two (libargon2 or kiln's own: ~120 ms on two cores, where one lane would take ~180 ms). The
     * cost to an attacker is the same: it is the memory times the passes.
     */
    public static Argon2Params defaultParams() {
        return new Argon2Params(64 * 1024, 3, NativeArgon2.sodiumAvailable() ? 1 : 2);
    }

    /** The length of a new key file's salt: 16 bytes (RFC 9106 §3.1), the only length libsodium takes. */
    public static final int SALT_BYTES = NativeArgon2.SODIUM_SALT_BYTES;

    /**
     * Through libsodium (one lane, 16-byte salt) or the system's libargon2 when they are usable ({@link NativeArgon2}),
     * otherwise here: the same tag.
     */
    public static byte[] derive(byte[] password, byte[] salt, Argon2Params params, int length) {
        if (NativeArgon2.bySodium(salt, params, length)
                || NativeArgon2.available() && salt.length >= 8 && length >= 4) { // (the library's own minimums)
            return NativeArgon2.derive(password, salt, params, length);
        }
        return derive(password, salt, null, null, params, length);
    }

    /** With the optional secret and associated data of RFC 9106 (used by its test vector). */
    public static byte[] derive(byte[] password, byte[] salt, byte[] secret, byte[] ad, Argon2Params params, int length) {
        if (length < 4) {
            throw new IllegalArgumentException("Argon2 tags are at least 4 bytes");
        }
        return new Instance(params).run(password, salt, secret == null ? new byte[0] : secret, ad == null ? new byte[0] : ad, length);
    }

    /** One derivation: the memory and the fixed sizes. */
    private static final class Instance {
        final int lanes;
        final int passes;
        final int memoryBlocks;
        final int laneLength;
        final int segmentLength;
        final int memoryKiB;
        final long[] memory;

        Instance(Argon2Params params) {
            lanes = params.parallelism();
            passes = params.iterations();
            memoryKiB = params.memoryKiB();
            int m = Math.max(memoryKiB, 2 * SYNC_POINTS * lanes);
            segmentLength = m / (lanes * SYNC_POINTS);
            laneLength = segmentLength * SYNC_POINTS;
            memoryBlocks = laneLength * lanes;
            memory = new long[Math.multiplyExact(memoryBlocks, BLOCK_LONGS)];
        }

        byte[] run(byte[] password, byte[] salt, byte[] secret, byte[] ad, int tagLength) {
            byte[] h0 = initialHash(password, salt, secret, ad, tagLength);
            byte[] seed = new byte[64 + 8];
            System.arraycopy(h0, 0, seed, 0, 64);
            byte[] block = new byte[1024];
            for (int lane = 0; lane < lanes; lane++) {
                for (int i = 0; i < 2; i++) {
                    intLE(seed, 64, i);
                    intLE(seed, 68, lane);
                    hashPrime(seed, block);
                    int off = (lane * laneLength + i) * BLOCK_LONGS;
                    for (int w = 0; w < BLOCK_LONGS; w++) {
                        memory[off + w] = longLE(block, w * 8);
                    }
                }
            }
            fill();
            long[] last = new long[BLOCK_LONGS];
            for (int lane = 0; lane < lanes; lane++) {
                int off = (lane * laneLength + laneLength - 1) * BLOCK_LONGS;
                for (int w = 0; w < BLOCK_LONGS; w++) {
                    last[w] ^= memory[off + w];
                }
            }
            for (int w = 0; w < BLOCK_LONGS; w++) {
                longLE(block, w * 8, last[w]);
            }
            byte[] tag = new byte[tagLength];
            hashPrime(block, tag);
            java.util.Arrays.fill(memory, 0);
            return tag;
        }

        private void fill() {
            ExecutorService helpers = lanes > 1 && Runtime.getRuntime().availableProcessors() > 1
                    ? Executors.newFixedThreadPool(Math.min(lanes, Runtime.getRuntime().availableProcessors()) - 1,
                            r -> Thread.ofPlatform().daemon().name("kiln-argon2").unstarted(r))
                    : null;
            try {
                for (int pass = 0; pass < passes; pass++) {
                    for (int slice = 0; slice < SYNC_POINTS; slice++) {
                        fillSlice(pass, slice, helpers);
                    }
                }
            } finally {
                if (helpers != null) {
                    helpers.shutdownNow();
                }
            }
        }

        /** The lanes' segments of one slice: independent of each other, so lane 0 here and the rest on helpers. */
        private void fillSlice(int pass, int slice, ExecutorService helpers) {
            if (helpers == null) {
                for (int lane = 0; lane < lanes; lane++) {
                    fillSegment(pass, lane, slice);
                }
                return;
            }
            List<Future<?>> others = new ArrayList<>(lanes - 1);
            for (int lane = 1; lane < lanes; lane++) {
                int l = lane;
                others.add(helpers.submit(() -> fillSegment(pass, l, slice)));
            }
            fillSegment(pass, 0, slice);
            for (Future<?> f : others) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while deriving a key", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("key derivation failed", e.getCause());
                }
            }
        }

        /** RFC 9106 §3.4 (and the reference implementation's fill_segment). */
        private void fillSegment(int pass, int lane, int slice) {
            boolean independent = pass == 0 && slice < SYNC_POINTS / 2;
            long[] work = new long[2 * BLOCK_LONGS];
            long[] zero = null;
            long[] input = null;
            long[] addresses = null;
            if (independent) {
                zero = new long[BLOCK_LONGS];
                input = new long[BLOCK_LONGS];
                addresses = new long[BLOCK_LONGS];
                input[0] = pass;
                input[1] = lane;
                input[2] = slice;
                input[3] = memoryBlocks;
                input[4] = passes;
                input[5] = TYPE_ID;
            }
            int start = 0;
            if (pass == 0 && slice == 0) {
                start = 2;
                if (independent) {
                    nextAddresses(addresses, input, zero, work);
                }
            }
            int current = lane * laneLength + slice * segmentLength + start;
            int previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1;
            for (int i = start; i < segmentLength; i++, current++, previous++) {
                if (current % laneLength == 1) {
                    previous = current - 1;
                }
                long pseudoRandom;
                if (independent) {
                    if (i % ADDRESSES_IN_BLOCK == 0) {
                        nextAddresses(addresses, input, zero, work);
                    }
                    pseudoRandom = addresses[i % ADDRESSES_IN_BLOCK];
                } else {
                    pseudoRandom = memory[previous * BLOCK_LONGS];
                }
                int refLane = pass == 0 && slice == 0 ? lane : (int) Long.remainderUnsigned(pseudoRandom >>> 32, lanes);
                int refIndex = indexAlpha(pass, slice, i, pseudoRandom & 0xFFFFFFFFL, refLane == lane);
                long refBlock = (long) refLane * laneLength + refIndex;
                fillBlock(memory, previous * BLOCK_LONGS, memory, (int) refBlock * BLOCK_LONGS, memory, current * BLOCK_LONGS,
                        pass != 0, work);
            }
        }

        private int indexAlpha(int pass, int slice, int index, long pseudoRandom, boolean sameLane) {
            long area;
            if (pass == 0) {
                if (slice == 0) {
                    area = index - 1;
                } else if (sameLane) {
                    area = (long) slice * segmentLength + index - 1;
                } else {
                    area = (long) slice * segmentLength + (index == 0 ? -1 : 0);
                }
            } else if (sameLane) {
                area = laneLength - segmentLength + index - 1;
            } else {
                area = laneLength - segmentLength + (index == 0 ? -1 : 0);
            }
            long relative = (pseudoRandom * pseudoRandom) >>> 32;
            relative = area - 1 - ((area * relative) >>> 32);
            long startPosition = 0;
            if (pass != 0) {
                startPosition = slice == SYNC_POINTS - 1 ? 0 : (long) (slice + 1) * segmentLength;
            }
            return (int) ((startPosition + relative) % laneLength);
        }

        private static void nextAddresses(long[] addresses, long[] input, long[] zero, long[] work) {
            input[6]++;
            fillBlock(zero, 0, input, 0, addresses, 0, false, work);
            fillBlock(zero, 0, addresses, 0, addresses, 0, false, work);
        }

        /** The H0 of RFC 9106 §3.2. */
        private byte[] initialHash(byte[] password, byte[] salt, byte[] secret, byte[] ad, int tagLength) {
            Blake2bDigest d = new Blake2bDigest(512);
            byte[] four = new byte[4];
            for (int v : new int[] {lanes, tagLength, memoryKiB, passes, VERSION, TYPE_ID}) {
                intLE(four, 0, v);
                d.update(four, 0, 4);
            }
            for (byte[] b : new byte[][] {password, salt, secret, ad}) {
                intLE(four, 0, b.length);
                d.update(four, 0, 4);
                d.update(b, 0, b.length);
            }
            byte[] h0 = new byte[64];
            d.doFinal(h0, 0);
            return h0;
        }
    }

    /** The variable-length hash H' of RFC 9106 §3.3, filling {@code out}. */
    static void hashPrime(byte[] input, byte[] out) {
        byte[] len = new byte[4];
        intLE(len, 0, out.length);
        if (out.length <= 64) {
            Blake2bDigest d = new Blake2bDigest(out.length * 8);
            d.update(len, 0, 4);
            d.update(input, 0, input.length);
            d.doFinal(out, 0);
            return;
        }
        int r = (out.length + 31) / 32 - 2;
        byte[] v = new byte[64];
        Blake2bDigest d = new Blake2bDigest(512);
        d.update(len, 0, 4);
        d.update(input, 0, input.length);
        d.doFinal(v, 0);
        System.arraycopy(v, 0, out, 0, 32);
        int pos = 32;
        for (int i = 2; i <= r; i++) {
            d.reset();
            d.update(v, 0, 64);
            d.doFinal(v, 0);
            System.arraycopy(v, 0, out, pos, 32);
            pos += 32;
        }
        int rest = out.length - 32 * r;
        Blake2bDigest last = new Blake2bDigest(rest * 8);
        last.update(v, 0, 64);
        byte[] tail = new byte[rest];
        last.doFinal(tail, 0);
        System.arraycopy(tail, 0, out, pos, rest);
    }

    /**
     * The compression function G of RFC 9106 §3.5: next = P(prev ^ ref) ^ prev ^ ref (^ next, from the second pass).
     * {@code work} holds 256 longs of scratch; blocks may alias.
     */
    static void fillBlock(long[] prevA, int prev, long[] refA, int ref, long[] nextA, int next, boolean withXor, long[] work) {
        final int t = BLOCK_LONGS;
        for (int i = 0; i < BLOCK_LONGS; i++) {
            long r = refA[ref + i] ^ prevA[prev + i];
            work[i] = r;
            work[t + i] = withXor ? r ^ nextA[next + i] : r;
        }
        for (int i = 0; i < 8; i++) {
            int b = 16 * i;
            round(work, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7,
                    b + 8, b + 9, b + 10, b + 11, b + 12, b + 13, b + 14, b + 15);
        }
        for (int i = 0; i < 8; i++) {
            int b = 2 * i;
            round(work, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49,
                    b + 64, b + 65, b + 80, b + 81, b + 96, b + 97, b + 112, b + 113);
        }
        for (int i = 0; i < BLOCK_LONGS; i++) {
            nextA[next + i] = work[t + i] ^ work[i];
        }
    }

    /** Blake2b's round without message words, with the multiplication of BlaMka (RFC 9106 §3.6). */
    private static void round(long[] v, int i0, int i1, int i2, int i3, int i4, int i5, int i6, int i7,
                              int i8, int i9, int i10, int i11, int i12, int i13, int i14, int i15) {
        long v0 = v[i0], v1 = v[i1], v2 = v[i2], v3 = v[i3], v4 = v[i4], v5 = v[i5], v6 = v[i6], v7 = v[i7];
        long v8 = v[i8], v9 = v[i9], v10 = v[i10], v11 = v[i11], v12 = v[i12], v13 = v[i13], v14 = v[i14], v15 = v[i15];
        // G(v0, v4, v8, v12)
        v0 = f(v0, v4); v12 = Long.rotateRight(v12 ^ v0, 32); v8 = f(v8, v12); v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 = f(v0, v4); v12 = Long.rotateRight(v12 ^ v0, 16); v8 = f(v8, v12); v4 = Long.rotateRight(v4 ^ v8, 63);
        // G(v1, v5, v9, v13)
        v1 = f(v1, v5); v13 = Long.rotateRight(v13 ^ v1, 32); v9 = f(v9, v13); v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 = f(v1, v5); v13 = Long.rotateRight(v13 ^ v1, 16); v9 = f(v9, v13); v5 = Long.rotateRight(v5 ^ v9, 63);
        // G(v2, v6, v10, v14)
        v2 = f(v2, v6); v14 = Long.rotateRight(v14 ^ v2, 32); v10 = f(v10, v14); v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 = f(v2, v6); v14 = Long.rotateRight(v14 ^ v2, 16); v10 = f(v10, v14); v6 = Long.rotateRight(v6 ^ v10, 63);
        // G(v3, v7, v11, v15)
        v3 = f(v3, v7); v15 = Long.rotateRight(v15 ^ v3, 32); v11 = f(v11, v15); v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 = f(v3, v7); v15 = Long.rotateRight(v15 ^ v3, 16); v11 = f(v11, v15); v7 = Long.rotateRight(v7 ^ v11, 63);
        // G(v0, v5, v10, v15)
        v0 = f(v0, v5); v15 = Long.rotateRight(v15 ^ v0, 32); v10 = f(v10, v15); v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 = f(v0, v5); v15 = Long.rotateRight(v15 ^ v0, 16); v10 = f(v10, v15); v5 = Long.rotateRight(v5 ^ v10, 63);
        // G(v1, v6, v11, v12)
        v1 = f(v1, v6); v12 = Long.rotateRight(v12 ^ v1, 32); v11 = f(v11, v12); v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 = f(v1, v6); v12 = Long.rotateRight(v12 ^ v1, 16); v11 = f(v11, v12); v6 = Long.rotateRight(v6 ^ v11, 63);
        // G(v2, v7, v8, v13)
        v2 = f(v2, v7); v13 = Long.rotateRight(v13 ^ v2, 32); v8 = f(v8, v13); v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 = f(v2, v7); v13 = Long.rotateRight(v13 ^ v2, 16); v8 = f(v8, v13); v7 = Long.rotateRight(v7 ^ v8, 63);
        // G(v3, v4, v9, v14)
        v3 = f(v3, v4); v14 = Long.rotateRight(v14 ^ v3, 32); v9 = f(v9, v14); v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 = f(v3, v4); v14 = Long.rotateRight(v14 ^ v3, 16); v9 = f(v9, v14); v4 = Long.rotateRight(v4 ^ v9, 63);
        v[i0] = v0; v[i1] = v1; v[i2] = v2; v[i3] = v3; v[i4] = v4; v[i5] = v5; v[i6] = v6; v[i7] = v7;
        v[i8] = v8; v[i9] = v9; v[i10] = v10; v[i11] = v11; v[i12] = v12; v[i13] = v13; v[i14] = v14; v[i15] = v15;
    }

    private static long f(long x, long y) {
        return x + y + 2 * (x & 0xFFFFFFFFL) * (y & 0xFFFFFFFFL);
    }

    private static void intLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    private static long longLE(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void longLE(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
