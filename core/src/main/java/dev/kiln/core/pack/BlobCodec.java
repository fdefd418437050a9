package dev.kiln.core.pack;

import dev.kiln.core.compress.Compression;
import dev.kiln.core.compress.ZstdCompressor;
import dev.kiln.core.crypto.Aead;
import dev.kiln.core.crypto.IntegrityException;
import dev.kiln.core.id.BlobId;
import dev.kiln.core.memory.UnzeroedMemory;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

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
        Scratch fresh = new Scratch(true, false); // whose buffers are made at exactly the sizes asked for
        openInto(entry, buf, off, fresh);
        return fresh.plain();
    }

    /**
     * Buffers one thread reuses to open blob after blob ({@link #openInto}): restore and check open every blob of a
     * repository, and fresh arrays for each (zeroed, then collected) cost more CPU than the decompression. They grow
     * to the largest blob opened. On the heap ({@link #plain}), or in native memory ({@link #offHeap}). Not
     * thread-safe: one per thread.
     */
    public static final class Scratch {
        /** The default chunker's largest blob, plus room for the seal and zstd's worst case on it. */
        private static final int LARGEST_USUAL_BLOB = (8 << 20) + (64 << 10);
        private final boolean exact;
        private final boolean offHeap;
        private ByteBuffer stored;
        private ByteBuffer plain;
        private MemorySegment storedSegment;
        private MemorySegment plainSegment;
        /** A blob's associated data (its type and id), remade for each blob in place, and a segment over it. */
        private final byte[] aadBytes = new byte[AAD_BYTES];
        private final MemorySegment aad = MemorySegment.ofArray(aadBytes);

        /**
         * Buffers on the heap that grow by half again as much as asked for (up to 8 MiB, the default largest
         * blob), so that blobs of creeping sizes do not remake them.
         */
        public Scratch() {
            this(false, false);
        }

        /**
         * As {@link #Scratch()}, in native memory, for a reader of the plaintext as a {@link #plainSegment segment}
         * (check): the collector then never copies these buffers (a check's four threads' grew to tens of MB, copied
         * by its first collection), and zstd and OpenSSL write there directly.
         */
        public static Scratch offHeap() {
            return new Scratch(false, true);
        }

        private Scratch(boolean exact, boolean offHeap) {
            this.exact = exact;
            this.offHeap = offHeap;
            stored = allocate(0);
            plain = allocate(0);
            storedSegment = MemorySegment.ofBuffer(stored);
            plainSegment = MemorySegment.ofBuffer(plain);
        }

        private MemorySegment aad(BlobType type, BlobId id) {
            writeAad(aadBytes, type, id);
            return aad;
        }

        private ByteBuffer allocate(int size) {
            return offHeap ? UnzeroedMemory.allocate(size) : ByteBuffer.wrap(new byte[size]);
        }

        private int grown(int size) {
            if (offHeap) {
                // At once the size of the default largest blob: memory that is not zeroed costs nothing until
                // written, and growing step by step wrote ~3 times the largest blob (a check of src-v1: 40 MB of
                // zeroed buffers over four threads, 10,000 page faults).
                return Math.max(size, LARGEST_USUAL_BLOB);
            }
            return exact ? size : Math.max(size, Math.min(size + (size >> 1), 8 << 20));
        }

        /**
         * The plaintext of the blob opened last, on the heap; its length is what {@link #openInto} returned (the
         * array's own length when this scratch opened only that blob).
         */
        public byte[] plain() {
            if (offHeap) {
                throw new IllegalStateException("this scratch keeps the plaintext in native memory: plainSegment()");
            }
            return plain.array();
        }

        /** The plaintext of the blob opened last: its length is what {@link #openInto} returned. */
        public MemorySegment plainSegment() {
            return plainSegment;
        }

        private ByteBuffer stored(int size) {
            if (stored.capacity() < size) {
                stored = allocate(grown(size));
                storedSegment = MemorySegment.ofBuffer(stored);
            }
            return stored;
        }

        private ByteBuffer plain(int size) {
            if (plain.capacity() < size) {
                plain = allocate(grown(size));
                plainSegment = MemorySegment.ofBuffer(plain);
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

    /** As above, for the stored blob in {@code stored}, on the heap or not (check maps packs). */
    public int openInto(PackEntry entry, MemorySegment stored, Scratch scratch) throws IOException {
        java.util.function.Supplier<String> what = () -> "blob " + entry.id().shortHex(); // (for errors only)
        int sealedPlainLength = entry.length() - Aead.OVERHEAD;
        if (entry.compression() == Compression.NONE) {
            if (sealedPlainLength != entry.rawLength()) {
                throw new IntegrityException(what.get() + ": length " + Math.max(0, sealedPlainLength) + " != " + entry.rawLength());
            }
            scratch.plain(Math.max(0, sealedPlainLength));
            return aead.openInto(stored, scratch.aad(entry.type(), entry.id()), what, scratch.plainSegment);
        }
        ByteBuffer compressed = scratch.stored(Math.max(0, sealedPlainLength));
        int n = aead.openInto(stored, scratch.aad(entry.type(), entry.id()), what, scratch.storedSegment);
        ByteBuffer plain = scratch.plain(entry.rawLength());
        try {
            zstd.decompressInto(compressed, n, plain, entry.rawLength());
        } catch (IOException e) {
            throw new IntegrityException(what.get() + ": " + e.getMessage(), e);
        }
        return entry.rawLength();
    }

    /** A blob's associated data: its type's code, then its id. */
    private static final int AAD_BYTES = 1 + 32;

    static byte[] aad(BlobType type, BlobId id) {
        byte[] aad = new byte[AAD_BYTES];
        writeAad(aad, type, id);
        return aad;
    }

    private static void writeAad(byte[] out, BlobType type, BlobId id) {
        out[0] = (byte) type.code();
        id.writeTo(out, 1);
    }
}
