package dev.kiln.core.pack;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;

/**
 * Native memory that is not zeroed, for buffers that are written before they are read. {@code
 * ByteBuffer.allocateDirect} zeroes what it returns, which touches every page at once, the parts never used too:
 * this takes memory from {@code malloc}, whose large blocks are fresh mappings whose pages cost nothing until first
 * written. (A page's first touch is ~1 µs on a bare machine and ~10 µs on some virtual ones.) Where the C library's
 * {@code malloc} cannot be linked, a direct buffer.
 */
final class UnzeroedMemory {
    private UnzeroedMemory() {
    }

    /** Linked on first use. */
    private static final class Libc {
        static final MethodHandle MALLOC;
        static final MethodHandle FREE;

        static {
            MethodHandle malloc = null, free = null;
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                var m = libc.find("malloc");
                var f = libc.find("free");
                if (m.isPresent() && f.isPresent()) {
                    malloc = linker.downcallHandle(m.get(), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                    free = linker.downcallHandle(f.get(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
                }
            } catch (RuntimeException | LinkageError e) {
                malloc = free = null; // no native access: direct buffers
            }
            MALLOC = malloc;
            FREE = free;
        }
    }

    /** {@code size} bytes, contents unspecified, freed once no buffer or segment of them is reachable. */
    static ByteBuffer allocate(int size) {
        if (Libc.MALLOC != null && size > 0) {
            MemorySegment at;
            try {
                at = (MemorySegment) Libc.MALLOC.invokeExact((long) size);
            } catch (Throwable t) {
                throw new IllegalStateException("malloc failed", t);
            }
            if (at.address() == 0) {
                throw new OutOfMemoryError("malloc of " + size + " bytes failed");
            }
            MethodHandle free = Libc.FREE;
            return at.reinterpret(size, Arena.ofAuto(), s -> {
                try {
                    free.invokeExact(s);
                } catch (Throwable t) {
                    throw new IllegalStateException("free failed", t);
                }
            }).asByteBuffer();
        }
        return ByteBuffer.allocateDirect(size);
    }
}
