package dev.kiln.core.id;

/** Computes the unkeyed digest of a block. Instances are not thread-safe; use one per thread. */
public interface BlockHasher {
    /** The digest of {@code data[off, off+len)}. */
    byte[] digest(byte[] data, int off, int len);

    /** The digest of {@code data}, on the heap or not (check opens blobs into native memory); a copy by default. */
    default byte[] digest(java.lang.foreign.MemorySegment data) {
        byte[] copy = data.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        return digest(copy, 0, copy.length);
    }
}
