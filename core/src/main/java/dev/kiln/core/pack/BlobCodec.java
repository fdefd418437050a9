package dev.kiln.core.pack;

import dev.kiln.core.compress.Compression;
import dev.kiln.core.compress.ZstdCompressor;
import dev.kiln.core.crypto.Aead;
import dev.kiln.core.crypto.IntegrityException;
import dev.kiln.core.id.BlobId;
import java.io.IOException;

/**
 * Turns a blob's plaintext into its stored form and back: zstd when it shrinks, then AES-256-GCM with the
 * blob's type and id as associated data, so a blob cannot be passed off as another. Thread-safe.
 */
public final class BlobCodec {
    private final Aead aead;
    private final ZstdCompressor zstd;

    public BlobCodec(Aead aead, ZstdCompressor zstd) {
        this.aead = aead;
        this.zstd = zstd;
    }

    /** A blob ready for a pack. */
    public record SealedBlob(BlobType type, BlobId id, byte[] sealed, int rawLength, Compression compression) {
    }

    public SealedBlob seal(BlobType type, BlobId id, byte[] plain, int off, int len) {
        byte[] compressed = zstd.compress(plain, off, len);
        byte[] aad = aad(type, id);
        if (compressed != null) {
            return new SealedBlob(type, id, aead.seal(compressed, aad), len, Compression.ZSTD);
        }
        return new SealedBlob(type, id, aead.seal(plain, off, len, aad), len, Compression.NONE);
    }

    /** Authenticates, decrypts and decompresses one stored blob. */
    public byte[] open(PackEntry entry, byte[] buf, int off) throws IOException {
        String what = "blob " + entry.id().shortHex();
        byte[] stored = aead.open(buf, off, entry.length(), aad(entry.type(), entry.id()), what);
        return switch (entry.compression()) {
            case NONE -> {
                if (stored.length != entry.rawLength()) {
                    throw new IntegrityException(what + ": length " + stored.length + " != " + entry.rawLength());
                }
                yield stored;
            }
            case ZSTD -> {
                try {
                    yield zstd.decompress(stored, entry.rawLength());
                } catch (IOException e) {
                    throw new IntegrityException(what + ": " + e.getMessage(), e);
                }
            }
        };
    }

    static byte[] aad(BlobType type, BlobId id) {
        byte[] aad = new byte[33];
        aad[0] = (byte) type.code();
        System.arraycopy(id.toBytes(), 0, aad, 1, 32);
        return aad;
    }
}
