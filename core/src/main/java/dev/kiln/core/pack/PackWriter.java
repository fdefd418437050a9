package dev.kiln.core.pack;

import dev.kiln.core.crypto.Aead;
import dev.kiln.core.id.PackId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Collects sealed blobs of one type and lays them out as a pack (format: docs/repository-format.md §6):
 * the blobs in random order, the sealed header, and the header's length as a 4-byte big-endian integer.
 * Not thread-safe.
 */
public final class PackWriter {
    static final byte[] MAGIC = {'K', 'L', 'N', 'P'};
    static final int VERSION = 1;
    static final byte[] HEADER_AAD = "kiln v1 pack header".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final BlobType type;
    private final List<BlobCodec.SealedBlob> blobs = new ArrayList<>();
    private long size;

    public PackWriter(BlobType type) {
        this.type = type;
    }

    public void add(BlobCodec.SealedBlob blob) {
        if (blob.type() != type) {
            throw new IllegalArgumentException("a " + type + " pack cannot take a " + blob.type() + " blob");
        }
        blobs.add(blob);
        size += blob.sealed().length;
    }

    /** Bytes of blobs added so far. */
    public long size() {
        return size;
    }

    public int count() {
        return blobs.size();
    }

    public boolean isEmpty() {
        return blobs.isEmpty();
    }

    /** Lays out the pack; {@code random} decides the blob order. The writer is empty afterwards. */
    public Pack finish(Aead metadata, Random random) {
        Collections.shuffle(blobs, random);
        ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 1 + 4 + blobs.size() * PackEntry.ENCODED_SIZE);
        header.put(MAGIC).put((byte) VERSION).putInt(blobs.size());
        List<PackEntry> entries = new ArrayList<>(blobs.size());
        int offset = 0;
        for (BlobCodec.SealedBlob b : blobs) {
            PackEntry e = new PackEntry(b.type(), b.id(), offset, b.sealed().length, b.rawLength(), b.compression());
            e.writeTo(header);
            entries.add(e);
            offset += b.sealed().length;
        }
        byte[] sealedHeader = metadata.seal(header.array(), HEADER_AAD);
        byte[] bytes = new byte[offset + sealedHeader.length + 4];
        int pos = 0;
        for (BlobCodec.SealedBlob b : blobs) {
            System.arraycopy(b.sealed(), 0, bytes, pos, b.sealed().length);
            pos += b.sealed().length;
        }
        System.arraycopy(sealedHeader, 0, bytes, pos, sealedHeader.length);
        ByteBuffer.wrap(bytes, pos + sealedHeader.length, 4).putInt(sealedHeader.length);
        blobs.clear();
        size = 0;
        return new Pack(PackId.of(bytes), bytes, type, entries);
    }
}
