package dev.kiln.core.id;

import java.util.HexFormat;

/** Conversions shared by the 256-bit identities. */
final class Bytes32 {
    static final HexFormat HEX = HexFormat.of();
    static final java.lang.foreign.ValueLayout.OfLong BIG_ENDIAN_LONG =
            java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private Bytes32() {
    }

    static long word(byte[] b, int i) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = (v << 8) | (b[i * 8 + k] & 0xffL);
        }
        return v;
    }

    static byte[] bytes(long a, long b, long c, long d) {
        byte[] out = new byte[32];
        long[] w = {a, b, c, d};
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 8; k++) {
                out[i * 8 + k] = (byte) (w[i] >>> (56 - 8 * k));
            }
        }
        return out;
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
