package dev.kiln.core.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A file name as the bytes the file system holds, which need not be valid UTF-8. Ordered bytewise (unsigned). */
public final class FileName implements Comparable<FileName> {
    private final byte[] bytes;

    private FileName(byte[] bytes) {
        check(bytes, 0, bytes.length);
        this.bytes = bytes;
    }

    /** Throws IllegalArgumentException unless {@code bytes[off, off+len)} is a valid name. */
    static void check(byte[] bytes, int off, int len) {
        if (len == 0 || len > 65535) {
            throw new IllegalArgumentException("file name of " + len + " bytes");
        }
        for (int i = off; i < off + len; i++) {
            if (bytes[i] == '/' || bytes[i] == 0) {
                throw new IllegalArgumentException("file name contains '/' or NUL: " + new String(bytes, off, len, StandardCharsets.UTF_8));
            }
        }
    }

    public static FileName of(byte[] bytes) {
        return new FileName(bytes.clone());
    }

    public static FileName of(String name) {
        return new FileName(name.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    int length() {
        return bytes.length;
    }

    void writeTo(java.nio.ByteBuffer out) {
        out.put(bytes);
    }

    /** The name for display; bytes that are not UTF-8 show as U+FFFD. */
    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileName f && Arrays.equals(bytes, f.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(FileName o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }
}
