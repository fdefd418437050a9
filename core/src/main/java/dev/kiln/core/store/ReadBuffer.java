package dev.kiln.core.store;

import dev.kiln.core.memory.UnzeroedMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Native memory that objects (or ranges of them) are read into, one after another ({@link BlobStore#getInto}), so
 * that a reader of many large objects (check reads every pack) does not allocate, zero and collect a new array for
 * each. Outside the Java heap: a file is read straight into it (a heap array is filled through a temporary native
 * buffer, one more copy), and the collector never copies it (four 19 MB pack buffers on the heap made the first two
 * collections of a check 20-35 ms each). In huge pages where the system offers them ({@link UnzeroedMemory}): a
 * pack buffer's first touch is then ten faults, not 5,000. Freed once unreachable.
 *
 * <p>Local packs were once mapped instead of read (no copy, no memory of its own): but each of a mapping's pages is
 * faulted in anew for every pack, and a page's first touch is what costs on a virtual machine (~2 µs a mapped page
 * there, against ~0.1 µs a page to copy): a check of src-v1 spent ~150 ms of CPU on them, and reads into huge pages
 * took 5 % less time.
 *
 * <p>Not thread-safe: one per reader (other threads may read the {@link #contents} until the next object is read).
 */
public final class ReadBuffer implements AutoCloseable {
    private MemorySegment memory = MemorySegment.ofArray(new byte[0]);
    private int length;

    /** The last object read: its {@link #length} bytes. */
    public MemorySegment contents() {
        return memory.asSlice(0, length);
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
        if (memory.byteSize() < size) {
            // An eighth more than asked: objects of one kind (packs) differ a little in size, and the next one
            // should not need new memory again.
            memory = MemorySegment.ofBuffer(UnzeroedMemory.allocate(Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, size + (long) (size >> 3)))));
        }
        length = size;
        return memory.asSlice(0, size);
    }

    /** Lets go of the memory (freed once no segment of it is reachable). */
    @Override
    public void close() {
        memory = MemorySegment.ofArray(new byte[0]);
        length = 0;
    }

    /** Takes a copy of {@code object} as the object read (from a store that reads into arrays of its own). */
    public void adopt(byte[] object) {
        MemorySegment.copy(MemorySegment.ofArray(object), 0, prepare(object.length), 0, object.length);
    }
}
