package dev.kiln.core.pack;

import dev.kiln.core.compress.Compression;
import dev.kiln.core.compress.ZstdCompressor;
import dev.kiln.core.crypto.Aead;
import dev.kiln.core.crypto.IntegrityException;
import dev.kiln.core.id.BlobId;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

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
        int bound = ZstdCompressor.bound(len);
        byte[] compressed = bound <= KEPT_COMPRESS_BUFFER ? compressBuffer(bound) : new byte[bound];
        int n = zstd.compressInto(plain, off, len, compressed);
        byte[] aad = aad(type, id);
        if (n >= 0) {
            return new SealedBlob(type, id, aead.seal(compressed, 0, n, aad), len, Compression.ZSTD);
        }
        return new SealedBlob(type, id, aead.seal(plain, off, len, aad), len, Compression.NONE);
    }

    /**
     * Each sealing thread compresses into a buffer it keeps, up to this size (most chunks, with the default 1 MiB
     * average): a new one per blob was as many bytes allocated, zeroed and collected as the backup reads.
     */
    static final int KEPT_COMPRESS_BUFFER = 2 << 20;
    private final ThreadLocal<byte[]> compressBuffers = ThreadLocal.withInitial(() -> new byte[0]);

    private byte[] compressBuffer(int size) {
        byte[] b = compressBuffers.get();
        if (b.length < size) {
            b = new byte[Math.min(KEPT_COMPRESS_BUFFER, Math.max(size, 2 * b.length))];
            compressBuffers.set(b);
        }
        return b;
    }

    /** Authenticates, decrypts and decompresses one stored blob, into an array of its own. */
    public byte[] open(PackEntry entry, byte[] buf, int off) throws IOException {
        Scratch fresh = new Scratch(true); // whose buffers are made at exactly the sizes asked for
        openInto(entry, buf, off, fresh);
        return fresh.plain();
    }

    /**
     * Buffers one thread reuses to open blob after blob ({@link #openInto}): restore and check open every blob of a
     * repository, and fresh arrays for each (zeroed, then collected) cost more CPU than the decompression. They grow
     * to the largest blob opened. Not thread-safe: one per thread.
     */
    public static final class Scratch {
        private final boolean exact;
        private byte[] stored = new byte[0];
        private byte[] plain = new byte[0];

        /**
         * Buffers that grow by half again as much as asked for (up to 8 MiB, the default largest blob), so that
         * blobs of creeping sizes do not remake them.
         */
        public Scratch() {
            this(false);
        }

        private Scratch(boolean exact) {
            this.exact = exact;
        }

        private int grown(int size) {
            return exact ? size : Math.max(size, Math.min(size + (size >> 1), 8 << 20));
        }

        /**
         * The plaintext of the blob opened last; its length is what {@link #openInto} returned (the array's own
         * length when this scratch opened only that blob).
         */
        public byte[] plain() {
            return plain;
        }

        private byte[] stored(int size) {
            if (stored.length < size) {
                stored = new byte[grown(size)];
            }
            return stored;
        }

        private byte[] plain(int size) {
            if (plain.length < size) {
                plain = new byte[grown(size)];
            }
            return plain;
        }
    }

    /**
     * As {@link #open}, into {@code scratch}: the plaintext is {@code scratch.plain()[0, returned length)}, valid until
     * the next call with the same scratch.
     */
    public int openInto(PackEntry entry, byte[] buf, int off, Scratch scratch) throws IOException {
        return openInto(entry, MemorySegment.ofArray(buf).asSlice(off, entry.length()), scratch);
    }

    /** As above, for the stored blob in {@code stored}, on the heap or not (check reads packs into native memory). */
    public int openInto(PackEntry entry, MemorySegment stored, Scratch scratch) throws IOException {
        java.util.function.Supplier<String> what = () -> "blob " + entry.id().shortHex(); // (for errors only)
        int sealedPlainLength = entry.length() - Aead.OVERHEAD;
        if (entry.compression() == Compression.NONE) {
            if (sealedPlainLength != entry.rawLength()) {
                throw new IntegrityException(what.get() + ": length " + Math.max(0, sealedPlainLength) + " != " + entry.rawLength());
            }
            return aead.openInto(stored, aad(entry.type(), entry.id()), what, scratch.plain(Math.max(0, sealedPlainLength)), 0);
        }
        byte[] compressed = scratch.stored(Math.max(0, sealedPlainLength));
        int n = aead.openInto(stored, aad(entry.type(), entry.id()), what, compressed, 0);
        try {
            zstd.decompressInto(compressed, 0, n, scratch.plain(entry.rawLength()), entry.rawLength());
        } catch (IOException e) {
            throw new IntegrityException(what.get() + ": " + e.getMessage(), e);
        }
        return entry.rawLength();
    }

    static byte[] aad(BlobType type, BlobId id) {
        byte[] aad = new byte[33];
        aad[0] = (byte) type.code();
        System.arraycopy(id.toBytes(), 0, aad, 1, 32);
        return aad;
    }
}
