package dev.kiln.core.restore;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The few libc calls java.nio.file lacks for restoring: {@code mknod(2)} (FIFOs, devices), {@code utimensat(2)},
 * {@code truncate(2)}, through the Foreign Function &amp; Memory API. errno is captured with the call.
 */
final class NativeFiles {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle MKNOD = LINKER.downcallHandle(
            LINKER.defaultLookup().find("mknod").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), ERRNO);
    private static final long ERRNO_OFFSET = Linker.Option.captureStateLayout()
            .byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle UTIMENSAT = LINKER.downcallHandle(
            LINKER.defaultLookup().find("utimensat").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), ERRNO);
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final long UTIME_OMIT = (1L << 30) - 2;

    static final int S_IFIFO = 0010000, S_IFCHR = 0020000, S_IFBLK = 0060000;

    private static final MethodHandle TRUNCATE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("truncate").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), ERRNO);

    /**
     * Sets a file's length; growing it leaves a hole ({@code truncate(2)}: FileChannel only shrinks, and
     * RandomAccessFile takes a String path, which loses bytes that are not UTF-8).
     */
    static void truncate(Path path, long length) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            int rc = (int) TRUNCATE.invokeExact(state, dev.kiln.core.fsname.RawNames.nativePath(arena, path), length);
            if (rc != 0) {
                throw new IOException(path + ": truncate failed (errno " + state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET) + ")");
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(path + ": truncate: " + t, t);
        }
    }

    /**
     * Sets the mtime without opening the file or following a link ({@code utimensat} with AT_SYMLINK_NOFOLLOW);
     * the JDK's setTimes opens the file, which blocks on a FIFO.
     */
    static void setMtime(Path path, long seconds, int nanos) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment times = arena.allocate(ValueLayout.JAVA_LONG, 4);
            times.setAtIndex(ValueLayout.JAVA_LONG, 0, 0);
            times.setAtIndex(ValueLayout.JAVA_LONG, 1, UTIME_OMIT);
            times.setAtIndex(ValueLayout.JAVA_LONG, 2, seconds);
            times.setAtIndex(ValueLayout.JAVA_LONG, 3, nanos);
            int rc = (int) UTIMENSAT.invokeExact(state, AT_FDCWD, dev.kiln.core.fsname.RawNames.nativePath(arena, path), times, AT_SYMLINK_NOFOLLOW);
            if (rc != 0) {
                throw new IOException(path + ": utimensat failed (errno " + state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET) + ")");
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(path + ": utimensat: " + t, t);
        }
    }

    private NativeFiles() {
    }

    /** Creates a FIFO or device node; {@code type} is one of the S_IF* constants. */
    static void mknod(Path path, int type, int mode, long rdev) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment cpath = dev.kiln.core.fsname.RawNames.nativePath(arena, path);
            int rc = (int) MKNOD.invokeExact(state, cpath, type | (mode & 07777), rdev);
            if (rc != 0) {
                int errno = state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
                throw new IOException(path + ": mknod failed (errno " + errno + (errno == 1 ? ", not permitted: devices need root" : "") + ")");
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(path + ": mknod: " + t, t);
        }
    }
}
