package dev.kiln.core.fsname;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paths longer than the kernel takes in one call (PATH_MAX, 4096 bytes) made usable with the ordinary JDK file
 * API. A long path is reached through an <em>anchor</em>: an {@code O_PATH} descriptor on one of its ancestors,
 * named {@code /proc/self/fd/N}, followed by the rest of the path (under {@link #STEP} + one name of bytes). Anchors
 * sit at ancestors just below multiples of {@link #STEP} bytes, so that a whole subtree shares them; they stay
 * open until {@link #close()} (ADR 0002). Paths of up to {@link #LIMIT} bytes are used as they are.
 * Thread-safe.
 */
public final class PathAccess implements AutoCloseable {
    /** Paths up to this many bytes go to the kernel as they are. */
    static final int LIMIT = 3072;
    static final int STEP = 2048;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final long ERRNO_OFFSET = Linker.Option.captureStateLayout()
            .byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    /** Linked when the first long path needs an anchor: linking spins classes, and most runs never need one. */
    private static final class Native {
        static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), ERRNO);
        static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }
    private static final int O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000, O_PATH = 010000000;

    private final Map<Path, Integer> anchors = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A path that reaches {@code real} (absolute) in calls to the kernel. */
    public Path of(Path real) throws IOException {
        String s = real.toString();
        if (s.length() * 3L <= LIMIT) { // UTF-8 takes at most 3 bytes per char (a replaced byte shows as one char)
            return real;
        }
        int length = RawNames.pathBytes(real).length;
        if (length <= LIMIT) {
            return real;
        }
        int cut = (length - 1) / STEP * STEP;
        Path anchor = real.getRoot();
        int names = 0;
        for (int i = 0; i < real.getNameCount() - 1; i++) {
            Path next = anchor.resolve(real.getName(i));
            if (RawNames.pathBytes(next).length > cut) {
                break;
            }
            anchor = next;
            names = i + 1;
        }
        if (names == 0) {
            throw new IOException(real + ": a path whose first name alone exceeds " + cut + " bytes");
        }
        Path fd = Path.of("/proc/self/fd/" + anchor(anchor));
        return fd.resolve(real.subpath(names, real.getNameCount()));
    }

    private int anchor(Path dir) throws IOException {
        Integer fd = anchors.get(dir);
        if (fd != null) {
            return fd;
        }
        synchronized (this) {
            fd = anchors.get(dir);
            if (fd == null) {
                if (closed) {
                    throw new IOException("path access closed");
                }
                fd = open(of(dir));
                anchors.put(dir, fd);
            }
            return fd;
        }
    }

    private static int open(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            int fd = (int) Native.OPEN.invokeExact(state, RawNames.nativePath(arena, path), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) {
                int errno = state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
                throw new IOException(path + ": cannot open the directory to reach a long path below it (errno " + errno + ")");
            }
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(path + ": open: " + t, t);
        }
    }

    /** Number of anchors open (for tests). */
    int anchors() {
        return anchors.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (int fd : anchors.values()) {
            try {
                int rc = (int) Native.CLOSE.invokeExact(fd);
                assert rc == 0 || rc == -1;
            } catch (Throwable t) {
                // nothing to do: the descriptor goes with the process
            }
        }
        anchors.clear();
    }
}
