package dev.kiln.core.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;

/**
 * Native memory that is not zeroed, for buffers that are written before they are read. {@code
 * ByteBuffer.allocateDirect} zeroes what it returns, which touches every page at once, the parts never used too.
 *
 * <p>A buffer of at least a huge page (2 MiB) is a mapping of its own, aligned to huge pages and advised to be
 * backed by them ({@code madvise(MADV_HUGEPAGE)}; the system's setting {@code [madvise]} or {@code [always]}): its
 * first touch then costs one fault per 2 MiB instead of one per 4 KiB page. A page's first touch is ~1 µs on a bare
 * machine and ~10 µs on some virtual ones; a check's pack and scratch buffers are ~150 MB. Smaller buffers come
 * from {@code malloc}, whose large blocks are fresh mappings whose pages cost nothing until first written. Where
 * the C library cannot be linked, or the system is not Linux, a direct buffer. Each is freed once no buffer or
 * segment of it is reachable.
 */
public final class UnzeroedMemory {
    /** The size of a transparent huge page on x86-64 (and arm64 with 4 KiB pages). */
    static final long HUGE_PAGE = 2 << 20;

    private UnzeroedMemory() {
    }

    /** Linked on first use. */
    private static final class Libc {
        static final MethodHandle MALLOC;
        static final MethodHandle FREE;
        /** Null where mappings are not made here (not Linux): large buffers come from malloc too. */
        static final MethodHandle MMAP;
        static final MethodHandle MADVISE;
        static final MethodHandle MUNMAP;

        static {
            MethodHandle malloc = null, free = null, mmap = null, madvise = null, munmap = null;
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                var m = libc.find("malloc");
                var f = libc.find("free");
                if (m.isPresent() && f.isPresent()) {
                    malloc = linker.downcallHandle(m.get(), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                    free = linker.downcallHandle(f.get(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
                }
                var map = libc.find("mmap");
                var advise = libc.find("madvise");
                var unmap = libc.find("munmap");
                if (System.getProperty("os.name", "").equals("Linux") && map.isPresent() && advise.isPresent() && unmap.isPresent()) {
                    mmap = linker.downcallHandle(map.get(), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                    var rangeAndInt = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
                    madvise = linker.downcallHandle(advise.get(), rangeAndInt);
                    munmap = linker.downcallHandle(unmap.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                }
            } catch (RuntimeException | LinkageError e) {
                malloc = free = mmap = madvise = munmap = null; // no native access: direct buffers
            }
            MALLOC = malloc;
            FREE = free;
            MMAP = mmap;
            MADVISE = madvise;
            MUNMAP = munmap;
        }
    }

    // Linux's values, the same on x86-64 and arm64
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;

    /**
     * Links the C library's functions now (five downcall stubs, ~20 ms from a cold start), so that the first
     * buffer does not wait for them: a check's read-back threads all waited on the first one's linking.
     */
    public static void link() {
        try {
            java.lang.invoke.MethodHandles.lookup().ensureInitialized(Libc.class);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e); // (its own nested class)
        }
    }

    /** {@code size} bytes, contents unspecified, freed once no buffer or segment of them is reachable. */
    public static ByteBuffer allocate(int size) {
        if (size >= HUGE_PAGE && Libc.MMAP != null) {
            return mapped(size);
        }
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

    /**
     * A mapping of {@code size} bytes rounded up to whole huge pages, plus one for aligning its start (the slack is
     * address space only: never touched, never backed).
     */
    private static ByteBuffer mapped(int size) {
        long usable = (size + HUGE_PAGE - 1) & -HUGE_PAGE;
        long length = usable + HUGE_PAGE;
        MemorySegment base;
        try {
            base = (MemorySegment) Libc.MMAP.invokeExact(MemorySegment.NULL, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap failed", t);
        }
        if (base.address() == -1L) { // MAP_FAILED
            throw new OutOfMemoryError("mmap of " + length + " bytes failed");
        }
        long start = (base.address() + HUGE_PAGE - 1) & -HUGE_PAGE;
        MemorySegment aligned = MemorySegment.ofAddress(start);
        try {
            // A refusal (a kernel without transparent huge pages) leaves ordinary pages: nothing to do about it.
            int ignored = (int) Libc.MADVISE.invokeExact(aligned, usable, MADV_HUGEPAGE);
        } catch (Throwable t) {
            throw new IllegalStateException("madvise failed", t);
        }
        MethodHandle munmap = Libc.MUNMAP;
        long baseAddress = base.address();
        return aligned.reinterpret(size, Arena.ofAuto(), s -> {
            try {
                int ignored = (int) munmap.invokeExact(MemorySegment.ofAddress(baseAddress), length);
            } catch (Throwable t) {
                throw new IllegalStateException("munmap failed", t);
            }
        }).asByteBuffer();
    }
}
