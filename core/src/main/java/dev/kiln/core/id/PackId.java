package dev.kiln.core.id;


/** The name of a pack: the SHA-256 of its bytes, so that its integrity can be checked without the key. */
public record PackId(long w0, long w1, long w2, long w3) {

    public static PackId fromBytes(byte[] b) {
        Bytes32.check(b);
        return new PackId(Bytes32.word(b, 0), Bytes32.word(b, 1), Bytes32.word(b, 2), Bytes32.word(b, 3));
    }

    public static PackId parse(String hex) {
        return fromBytes(Bytes32.parse(hex));
    }

    /** The id of a pack holding exactly these bytes. */
    public static PackId of(byte[] packBytes) {
        return of(packBytes, 0, packBytes.length);
    }

    /** The id of a pack holding exactly {@code length} bytes of {@code buffer} from {@code offset}. */
    public static PackId of(byte[] buffer, int offset, int length) {
        return fromBytes(dev.kiln.core.crypto.Sha256.digest(buffer, offset, length));
    }

    /** The id of a pack holding exactly the bytes of {@code pack}. */
    public static PackId of(java.lang.foreign.MemorySegment pack) {
        return fromBytes(dev.kiln.core.crypto.Sha256.digest(pack));
    }

    public byte[] toBytes() {
        return Bytes32.bytes(w0, w1, w2, w3);
    }

    public String hex() {
        return Bytes32.HEX.formatHex(toBytes());
    }

    // Written out, as in BlobId (a SHA-256, so the first word is a good hash code).
    @Override
    public boolean equals(Object o) {
        return o instanceof PackId p && w0 == p.w0 && w1 == p.w1 && w2 == p.w2 && w3 == p.w3;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(w0);
    }

    @Override
    public String toString() {
        return hex().substring(0, 8);
    }
}
