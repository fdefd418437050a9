package dev.kiln.core.id;

/** The 256-bit keyed address of a blob. Held as four words so that it is cheap as a map key. */
public record BlobId(long w0, long w1, long w2, long w3) implements Comparable<BlobId> {

    public static BlobId fromBytes(byte[] b) {
        Bytes32.check(b);
        return new BlobId(Bytes32.word(b, 0), Bytes32.word(b, 1), Bytes32.word(b, 2), Bytes32.word(b, 3));
    }

    /**
     * The id in the next 32 bytes of {@code in} (as {@link #toBytes} writes them, whatever the buffer's byte order),
     * without an array for them (a check reads every blob's id from its pack's header, the index and its tree).
     */
    public static BlobId readFrom(java.nio.ByteBuffer in) {
        boolean swap = in.order() != java.nio.ByteOrder.BIG_ENDIAN;
        long a = in.getLong(), b = in.getLong(), c = in.getLong(), d = in.getLong();
        return swap ? new BlobId(Long.reverseBytes(a), Long.reverseBytes(b), Long.reverseBytes(c), Long.reverseBytes(d))
                : new BlobId(a, b, c, d);
    }

    public static BlobId parse(String hex) {
        return fromBytes(Bytes32.parse(hex));
    }

    /** Writes the id's 32 bytes (as {@link #toBytes}) to {@code out} from {@code offset}. */
    public void writeTo(byte[] out, int offset) {
        Bytes32.put(out, offset, w0, w1, w2, w3);
    }

    public byte[] toBytes() {
        return Bytes32.bytes(w0, w1, w2, w3);
    }

    public String hex() {
        return Bytes32.HEX.formatHex(toBytes());
    }

    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public int compareTo(BlobId o) {
        int c = Long.compareUnsigned(w0, o.w0);
        if (c == 0) c = Long.compareUnsigned(w1, o.w1);
        if (c == 0) c = Long.compareUnsigned(w2, o.w2);
        if (c == 0) c = Long.compareUnsigned(w3, o.w3);
        return c;
    }

    // Written out: a record's generated equals and hashCode are method-handle chains made at run time (classes spun on
    // first use) and slow until C2 has compiled them; every command hashes and compares ids by the thousand from its
    // first second. The id is a keyed hash, so its first word is as good a hash code as any mix of all four.
    @Override
    public boolean equals(Object o) {
        return o instanceof BlobId b && w0 == b.w0 && w1 == b.w1 && w2 == b.w2 && w3 == b.w3;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(w0);
    }

    @Override
    public String toString() {
        return shortHex();
    }
}
