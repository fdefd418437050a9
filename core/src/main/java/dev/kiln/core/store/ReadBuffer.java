package dev.kiln.core.store;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Native memory that objects (or ranges of them) are read into, one after another ({@link BlobStore#getInto}), so
 * that a reader of many large objects (check reads every pack) does not allocate, zero and collect a new array for
 * each. Outside the Java heap: a file is read straight into it (a heap array is filled through a temporary native
 * buffer, one more copy), and the collector never copies it (four 19 MB pack buffers on the heap made the first two
 * collections of a check 20-35 ms each). Freed once unreachable (a direct buffer's).
 *
 * <p>A local file is {@link #map mapped} instead: no copy, and no memory of its own to zero and fault in (check
 * --read-data of src: ~60 ms of CPU, the four pack buffers' page faults and the kernel's copies). A mapping lasts
 * until the next object is read or the buffer is {@link #close closed}.
 *
 * <p>Not thread-safe: one per reader (other threads may read the {@link #contents} until the next object is read).
 */
public final class ReadBuffer implements AutoCloseable {
    private MemorySegment memory = MemorySegment.ofArray(new byte[0]);
    private int length;
    /** The arena of the mapped file the contents are, or null when they are in {@link #memory}. */
    private Arena mapping;
    private MemorySegment mapped;

    /** The last object read: its {@link #length} bytes. */
    public MemorySegment contents() {
        return mapping != null ? mapped : memory.asSlice(0, length);
    }

    /** The size of the last object read. */
    public int length() {
        return length;
    }

    /** A copy of the last object read. */
    public byte[] toArray() {
        return contents().toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Room for an object of {@code size} bytes, which the caller fills: the memory, replaced by a larger one when
     * it is too small (what it held is not kept). The length becomes {@code size}.
     */
    public MemorySegment prepare(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        unmap();
        if (memory.byteSize() < size) {
            // An eighth more than asked: objects of one kind (packs) differ a little in size, and the next one
            // should not need new memory again. A direct buffer's memory is zeroed by memset; Arena.allocate's,
            // by a loop of 8-byte stores that ran as C1 code: ~30 ms of CPU for a check's four 19 MB buffers.
            memory = MemorySegment.ofBuffer(ByteBuffer.allocateDirect(Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, size + (long) (size >> 3)))));
        }
        length = size;
        return memory.asSlice(0, size);
    }

    /**
     * Maps {@code size} bytes of {@code file} from {@code offset} (which the caller has checked against its size)
     * as the object read, and asks the kernel to read them in. The file must not shrink while it is mapped (a
     * read of a page past its end would fault): kiln's packs never change once written.
     */
    public void map(FileChannel file, long offset, int size) throws IOException {
        if (size == 0) {
            prepare(0);
            return;
        }
        unmap();
        Arena arena = Arena.ofShared(); // read-back threads help each other with a pack's blobs
        try {
            MemorySegment segment = file.map(FileChannel.MapMode.READ_ONLY, offset, size, arena);
            segment.load(); // one readahead of the whole range, not one per page touched
            mapped = segment;
            mapping = arena;
            length = size;
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private void unmap() {
        if (mapping != null) {
            Arena arena = mapping;
            mapping = null;
            mapped = null;
            length = 0;
            arena.close();
        }
    }

    /** Ends the current mapping, if any (the buffer's own memory is freed once unreachable). */
    @Override
    public void close() {
        unmap();
    }

    /** Takes a copy of {@code object} as the object read (from a store that reads into arrays of its own). */
    public void adopt(byte[] object) {
        MemorySegment.copy(MemorySegment.ofArray(object), 0, prepare(object.length), 0, object.length);
    }
}
