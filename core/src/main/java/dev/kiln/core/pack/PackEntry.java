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

    public PackEntry {
        if (offset < 0 || length < 0 || rawLength < 0) {
            throw new IllegalArgumentException("negative offset or length in entry for blob " + id);
        }
    }

    public void writeTo(java.nio.ByteBuffer out) {
        out.put((byte) type.code()).put((byte) compression.code()).put(id.toBytes())
                .putInt(offset).putInt(length).putInt(rawLength);
    }

    public static PackEntry readFrom(java.nio.ByteBuffer in) {
        BlobType type = BlobType.fromCode(in.get());
        Compression compression = Compression.fromCode(in.get());
        byte[] id = new byte[32];
        in.get(id);
        return new PackEntry(type, BlobId.fromBytes(id), in.getInt(), in.getInt(), in.getInt(), compression);
    }
}
