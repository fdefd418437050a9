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
 * {@code truncate(2)}, {@code lchown(2)} with both ids, and {@code getpwnam_r}/{@code getgrnam_r} for the ids of
 * names, through the Foreign Function &amp; Memory API. errno is captured with the call.
 */
final class NativeFiles {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    // Each function is linked when first called (a holder class per function): linking spins classes at every
    // start, and most restores need only a few of these.
    private static final class Mknod {
        static final MethodHandle MKNOD = LINKER.downcallHandle(LINKER.defaultLookup().find("mknod").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), ERRNO);
    }

    private static final long ERRNO_OFFSET = Linker.Option.captureStateLayout()
            .byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private static final class Utimensat {
        static final MethodHandle UTIMENSAT = LINKER.downcallHandle(LINKER.defaultLookup().find("utimensat").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), ERRNO);
    }

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final long UTIME_OMIT = (1L << 30) - 2;

    static final int S_IFIFO = 0010000, S_IFCHR = 0020000, S_IFBLK = 0060000;

    private static final class Truncate {
        static final MethodHandle TRUNCATE = LINKER.downcallHandle(LINKER.defaultLookup().find("truncate").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), ERRNO);
    }

    /** One libc call on a path: gets the C path and the errno slot, returns the call's result (0 for success). */
    @FunctionalInterface
    private interface PathCall {
        int invoke(Arena arena, MemorySegment errno, MemorySegment cpath) throws Throwable;
    }

    /**
     * Runs {@code call} on {@code path}; a non-zero result becomes an IOException naming the path, the call and
     * errno ({@code hint} may add what the errno means here).
     */
    private static void call(String name, Path path, PathCall call, java.util.function.IntFunction<String> hint) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            if (call.invoke(arena, state, dev.kiln.core.fsname.RawNames.nativePath(arena, path)) != 0) {
                int errno = state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
                throw new IOException(path + ": " + name + " failed (errno " + errno + hint.apply(errno) + ")");
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(path + ": " + name + ": " + t, t);
        }
    }

    private static void call(String name, Path path, PathCall call) throws IOException {
        call(name, path, call, errno -> "");
    }

    /**
     * Sets a file's length; growing it leaves a hole ({@code truncate(2)}: FileChannel only shrinks, and
     * RandomAccessFile takes a String path, which loses bytes that are not UTF-8).
     */
    static void truncate(Path path, long length) throws IOException {
        call("truncate", path, (arena, errno, cpath) -> (int) Truncate.TRUNCATE.invokeExact(errno, cpath, length));
    }

    /**
     * Sets the mtime without opening the file or following a link ({@code utimensat} with AT_SYMLINK_NOFOLLOW);
     * the JDK's setTimes opens the file, which blocks on a FIFO.
     */
    static void setMtime(Path path, long seconds, int nanos) throws IOException {
        call("utimensat", path, (arena, errno, cpath) -> {
            MemorySegment times = arena.allocate(ValueLayout.JAVA_LONG, 4);
            times.setAtIndex(ValueLayout.JAVA_LONG, 0, 0);
            times.setAtIndex(ValueLayout.JAVA_LONG, 1, UTIME_OMIT);
            times.setAtIndex(ValueLayout.JAVA_LONG, 2, seconds);
            times.setAtIndex(ValueLayout.JAVA_LONG, 3, nanos);
            return (int) Utimensat.UTIMENSAT.invokeExact(errno, AT_FDCWD, cpath, times, AT_SYMLINK_NOFOLLOW);
        });
    }

    private static final class Lchown {
        static final MethodHandle LCHOWN = LINKER.downcallHandle(LINKER.defaultLookup().find("lchown").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), ERRNO);
    }

    private static final class Getpwnam {
        static final MethodHandle GETPWNAM_R = LINKER.downcallHandle(LINKER.defaultLookup().find("getpwnam_r").orElseThrow(), nameLookup());
    }

    private static final class Getgrnam {
        static final MethodHandle GETGRNAM_R = LINKER.downcallHandle(LINKER.defaultLookup().find("getgrnam_r").orElseThrow(), nameLookup());
    }

    /** The id's offset in struct passwd (after pw_name and pw_passwd) and in struct group (after gr_name, gr_passwd). */
    private static final long ID_OFFSET = 2 * ValueLayout.ADDRESS.byteSize();
    private static final int ERANGE = 34;

    private static FunctionDescriptor nameLookup() {
        return FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
    }

    private NativeFiles() {
    }

    /** Owner and group in one call, without following a link (the JDK makes one call for each). */
    static void lchown(Path path, int uid, int gid) throws IOException {
        call("lchown", path, (arena, errno, cpath) -> (int) Lchown.LCHOWN.invokeExact(errno, cpath, uid, gid));
    }

    /** The uid of a user name on this system (getpwnam_r, so NSS sources count), or empty. */
    static java.util.OptionalInt userId(String name) {
        return idOf(Getpwnam.GETPWNAM_R, name, 64);
    }

    /** The gid of a group name on this system (getgrnam_r), or empty. */
    static java.util.OptionalInt groupId(String name) {
        return idOf(Getgrnam.GETGRNAM_R, name, 32);
    }

    private static java.util.OptionalInt idOf(MethodHandle lookup, String name, long structSize) {
        for (long bufSize = 16 << 10; bufSize <= 16 << 20; bufSize *= 4) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment entry = arena.allocate(structSize, 8);
                MemorySegment result = arena.allocate(ValueLayout.ADDRESS);
                int rc = (int) lookup.invokeExact(arena.allocateFrom(name), entry, arena.allocate(bufSize), bufSize, result);
                if (rc == ERANGE) {
                    continue; // a group with many members: a larger buffer
                }
                if (rc != 0 || result.get(ValueLayout.ADDRESS, 0).equals(MemorySegment.NULL)) {
                    return java.util.OptionalInt.empty();
                }
                return java.util.OptionalInt.of(entry.get(ValueLayout.JAVA_INT, ID_OFFSET));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                return java.util.OptionalInt.empty();
            }
        }
        return java.util.OptionalInt.empty();
    }

    /** Creates a FIFO or device node; {@code type} is one of the S_IF* constants. */
    static void mknod(Path path, int type, int mode, long rdev) throws IOException {
        call("mknod", path, (arena, errno, cpath) -> (int) Mknod.MKNOD.invokeExact(errno, cpath, type | (mode & 07777), rdev),
                errno -> errno == 1 ? ", not permitted: devices need root" : "");
    }
}
