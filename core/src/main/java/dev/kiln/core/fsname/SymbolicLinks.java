package dev.kiln.core.fsname;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Symbolic link targets as the exact bytes the file system holds ({@code readlink(2)}, {@code symlink(2)}): the
 * JDK's {@code Path} would normalise a target's slashes and replace bytes that are not UTF-8 (ADR 0004).
 */
public final class SymbolicLinks {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final long ERRNO_OFFSET = Linker.Option.captureStateLayout()
            .byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    // Each function is linked when first called (linking spins classes at every start; a backup never creates links).
    private static final class Readlink {
        static final MethodHandle READLINK = LINKER.downcallHandle(LINKER.defaultLookup().find("readlink").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), ERRNO);
    }

    private static final class Symlink {
        static final MethodHandle SYMLINK = LINKER.downcallHandle(LINKER.defaultLookup().find("symlink").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS), ERRNO);
    }
    private static final int ENOENT = 2;
    private static final int PATH_MAX = 4096;

    private SymbolicLinks() {
    }

    /** The target of the link at {@code link}, byte for byte. */
    public static byte[] read(Path link) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment buf = arena.allocate(PATH_MAX + 1L);
            long n = (long) Readlink.READLINK.invokeExact(state, RawNames.nativePath(arena, link), buf, (long) PATH_MAX + 1);
            if (n < 0) {
                int errno = state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
                if (errno == ENOENT) {
                    throw new java.nio.file.NoSuchFileException(link.toString());
                }
                throw new IOException(link + ": readlink failed (errno " + errno + ")");
            }
            if (n > PATH_MAX) {
                throw new IOException(link + ": link target longer than " + PATH_MAX + " bytes");
            }
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(link + ": readlink: " + t, t);
        }
    }

    /** Creates a symbolic link at {@code link} whose target is exactly {@code target}. */
    public static void create(Path link, byte[] target) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            int rc = (int) Symlink.SYMLINK.invokeExact(state, RawNames.cString(arena, target), RawNames.nativePath(arena, link));
            if (rc != 0) {
                int errno = state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
                if (errno == 17) {
                    throw new java.nio.file.FileAlreadyExistsException(link.toString());
                }
                throw new IOException(link + ": symlink failed (errno " + errno + ")");
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(link + ": symlink: " + t, t);
        }
    }
}
