package dev.kiln.core.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * zstd per blob, with one native compression context per thread. A blob that does not shrink is kept as is.
 * Thread-safe.
 */
public final class ZstdCompressor {
    private final int level;
    private final ThreadLocal<ZstdCompressCtx> compressors;
    private final ThreadLocal<ZstdDecompressCtx> decompressors = ThreadLocal.withInitial(ZstdDecompressCtx::new);

    public ZstdCompressor(int level) {
        if (level < Zstd.minCompressionLevel() || level > Zstd.maxCompressionLevel()) {
            throw new IllegalArgumentException("zstd level " + level + " out of range");
        }
        this.level = level;
        this.compressors = ThreadLocal.withInitial(() -> {
            ZstdCompressCtx ctx = new ZstdCompressCtx();
            ctx.setLevel(level);
            return ctx;
        });
    }

    /** Loads zstd-jni's native library, for a caller that wants it loaded ahead of use. */
    public static void loadLibrary() {
        Zstd.maxCompressionLevel();
    }

    public int level() {
        return level;
    }

    /** The compressed form of the input, or {@code null} when compression does not save space. */
    public byte[] compress(byte[] data, int off, int len) {
        byte[] out = new byte[bound(len)];
        int n = compressInto(data, off, len, out);
        return n < 0 ? null : Arrays.copyOf(out, n);
    }

    /** The most bytes {@link #compressInto} may write for {@code len} bytes of input. */
    public static int bound(int len) {
        return Math.toIntExact(Zstd.compressBound(len));
    }

    /**
     * Compresses into {@code out} (at least {@link #bound} bytes) and returns the compressed length, or -1 when
     * compression does not save space.
     */
    public int compressInto(byte[] data, int off, int len, byte[] out) {
        int bound = bound(len);
        if (out.length < bound) {
            throw new IllegalArgumentException("output of " + out.length + " bytes, zstd may need " + bound);
        }
        int n = compressors.get().compressByteArray(out, 0, bound, data, off, len);
        return n >= len ? -1 : n;
    }

    /** Decompresses {@code data[off, off+len)}, which must expand to exactly {@code rawLength} bytes, into {@code out}. */
    public void decompressInto(byte[] data, int off, int len, byte[] out, int rawLength) throws IOException {
        int n;
        try {
            n = decompressors.get().decompressByteArray(out, 0, rawLength, data, off, len);
        } catch (ZstdException e) {
            throw new IOException("zstd: " + e.getMessage(), e);
        }
        expect(rawLength, n);
    }

    /**
     * As above, from {@code data[0, len)} into {@code out} from its start (at least {@code rawLength} bytes): both on
     * the heap, or both direct (native memory: check opens blobs there).
     */
    public void decompressInto(ByteBuffer data, int len, ByteBuffer out, int rawLength) throws IOException {
        if (data.hasArray() && out.hasArray() && out.arrayOffset() == 0) {
            decompressInto(data.array(), data.arrayOffset(), len, out.array(), rawLength);
            return;
        }
        int n;
        try {
            n = decompressors.get().decompressDirectByteBuffer(out, 0, rawLength, data, 0, len);
        } catch (ZstdException e) {
            throw new IOException("zstd: " + e.getMessage(), e);
        }
        expect(rawLength, n);
    }

    private static void expect(int rawLength, int n) throws IOException {
        if (n != rawLength) {
            throw new IOException("zstd: expected " + rawLength + " bytes, got " + n);
        }
    }
}
