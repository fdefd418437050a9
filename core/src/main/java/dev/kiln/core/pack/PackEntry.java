package dev.kiln.core.pack;

import dev.kiln.core.compress.Compression;
import dev.kiln.core.id.BlobId;

/**
 * Where one sealed blob sits inside its pack. {@code length} counts the sealed bytes (nonce, ciphertext, tag);
 * {@code rawLength} is the plaintext length after decompression.
 */
public record PackEntry(BlobType type, BlobId id, int offset, int length, int rawLength, Compression compression) {
    /** Bytes per entry in pack headers and index files. */
    public static final int ENCODED_SIZE = 1 + 1 + 32 + 4 + 4 + 4;
    /** Where the id's 32 bytes start in the encoded form (after the type and compression codes). */
    public static final int ID_OFFSET = 2;

    public PackEntry {
        if (offset < 0 || length < 0 || rawLength < 0) {
            throw new IllegalArgumentException("negative offset or length in entry for blob " + id);
        }
    }

    // Written out, as in BlobId: a record's generated equals and hashCode are built at run time.
    @Override
    public boolean equals(Object o) {
        return o instanceof PackEntry e && type == e.type && id.equals(e.id) && offset == e.offset && length == e.length
                && rawLength == e.rawLength && compression == e.compression;
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + offset;
    }

    public void writeTo(java.nio.ByteBuffer out) {
        out.put((byte) type.code()).put((byte) compression.code()).put(id.toBytes())
                .putInt(offset).putInt(length).putInt(rawLength);
    }

    public static PackEntry readFrom(java.nio.ByteBuffer in) {
        BlobType type = BlobType.fromCode(in.get());
        Compression compression = Compression.fromCode(in.get());
        return new PackEntry(type, BlobId.readFrom(in), in.getInt(), in.getInt(), in.getInt(), compression);
    }
}
