package dev.kiln.core.store;

/**
 * An array that objects (or ranges of them) are read into, one after another ({@link BlobStore#getInto}), so that a reader of many
 * large objects (check reads every pack) does not allocate, zero and collect a new array for each. Not thread-safe:
 * one per reader.
 */
public final class ReadBuffer {
    private byte[] array = new byte[0];
    private int length;

    /** The array holding the last object read, in its first {@link #length} bytes (it may be longer). */
    public byte[] array() {
        return array;
    }

    /** The size of the last object read. */
    public int length() {
        return length;
    }

    /**
     * Room for an object of {@code size} bytes: the array, replaced by a larger one when it is too small (what it
     * held is not kept). The length becomes {@code size}; the caller fills the first {@code size} bytes.
     */
    public byte[] prepare(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        if (array.length < size) {
            // An eighth more than asked: objects of one kind (packs) differ a little in size, and the next one
            // should not need a new array again.
            array = new byte[(int) Math.min(Integer.MAX_VALUE - 8, size + (long) (size >> 3))];
        }
        length = size;
        return array;
    }

    /** Takes {@code object} as the object read (by a store that cannot read into this buffer's array). */
    public void adopt(byte[] object) {
        array = object;
        length = object.length;
    }
}
