package dev.kiln.core.id;

import java.util.HexFormat;

/** Conversions shared by the 256-bit identities. */
final class Bytes32 {
    static final HexFormat HEX = HexFormat.of();

    private Bytes32() {
    }

    static long word(byte[] b, int i) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = (v << 8) | (b[i * 8 + k] & 0xffL);
        }
        return v;
    }

    /** Four words, big-endian, in a new array. */
    static byte[] bytes(long a, long b, long c, long d) {
        byte[] out = new byte[32];
        put(out, 0, a, b, c, d);
        return out;
    }

    /** Writes four words, big-endian, to {@code out} from {@code off}. */
    static void put(byte[] out, int off, long a, long b, long c, long d) {
        put(out, off, a);
        put(out, off + 8, b);
        put(out, off + 16, c);
        put(out, off + 24, d);
    }

    private static void put(byte[] out, int off, long word) {
        for (int k = 0; k < 8; k++) {
            out[off + k] = (byte) (word >>> (56 - 8 * k));
        }
    }

    static byte[] check(byte[] b) {
        if (b.length != 32) {
            throw new IllegalArgumentException("expected 32 bytes, got " + b.length);
        }
        return b;
    }

    static byte[] parse(String hex) {
        if (hex.length() != 64) {
            throw new IllegalArgumentException("expected 64 hex digits, got " + hex.length());
        }
        return HEX.parseHex(hex);
    }
}
