package dev.kiln.core.id;

import org.bouncycastle.crypto.digests.TigerDigest;

/**
 * The THEX Tiger Tree Hash root (24 bytes): leaves of 1024 bytes hashed as Tiger(0x00||leaf), inner nodes as
 * Tiger(0x01||left||right), an unpaired node promoted unchanged; the empty input is one empty leaf.
 */
public final class TigerTreeHasher implements BlockHasher {
    private static final int LEAF = 1024;
    private final TigerDigest tiger = new TigerDigest();
    private final byte[][] stack = new byte[64][];

    @Override
    public byte[] digest(byte[] data, int off, int len) {
        java.util.Arrays.fill(stack, null);
        int end = off + len;
        int pos = off;
        do {
            int n = Math.min(LEAF, end - pos);
            pushLeaf(data, pos, n);
            pos += n;
        } while (pos < end);
        byte[] acc = null;
        for (byte[] pending : stack) {
            if (pending != null) {
                acc = acc == null ? pending : node(pending, acc);
            }
        }
        return acc;
    }

    private void pushLeaf(byte[] b, int off, int len) {
        tiger.update((byte) 0);
        tiger.update(b, off, len);
        byte[] h = new byte[24];
        tiger.doFinal(h, 0);
        int level = 0;
        while (stack[level] != null) {
            h = node(stack[level], h);
            stack[level] = null;
            level++;
        }
        stack[level] = h;
    }

    private byte[] node(byte[] left, byte[] right) {
        tiger.update((byte) 1);
        tiger.update(left, 0, left.length);
        tiger.update(right, 0, right.length);
        byte[] h = new byte[24];
        tiger.doFinal(h, 0);
        return h;
    }
}
