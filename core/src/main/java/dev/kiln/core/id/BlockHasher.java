package dev.kiln.core.id;

/** Computes the unkeyed digest of a block. Instances are not thread-safe; use one per thread. */
public interface BlockHasher {
    /** The digest of {@code data[off, off+len)}. */
    byte[] digest(byte[] data, int off, int len);
}
