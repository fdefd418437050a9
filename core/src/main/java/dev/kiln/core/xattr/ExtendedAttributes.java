package dev.kiln.core.xattr;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code llistxattr}, {@code lgetxattr}, {@code lsetxattr} on Linux. */
public final class ExtendedAttributes {
    /** One attribute: its full name ({@code user.x}, {@code system.posix_acl_access}, ...) and value. */
    public record Xattr(String name, byte[] value) {
        public Xattr {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Xattr x && name.equals(x.name) && java.util.Arrays.equals(value, x.value);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + java.util.Arrays.hashCode(value);
        }
    }

    /** The file system does not support extended attributes (ENOTSUP). */
    public static final class UnsupportedException extends IOException {
        UnsupportedException(String message) {
            super(message);
        }
    }

    private static final int ENOTSUP = 95, ENODATA = 61, ERANGE = 34;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final long ERRNO_OFFSET = Linker.Option.captureStateLayout().byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    // Each function is linked when first called (a holder class per function): linking spins classes at every
    // start, and a backup never sets attributes.
    private static final class Llistxattr {
        static final MethodHandle LIST = handle("llistxattr",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    private static final class Lgetxattr {
        static final MethodHandle GET = handle("lgetxattr",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    private static final class Lsetxattr {
        static final MethodHandle SET = handle("lsetxattr",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    }

    private ExtendedAttributes() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), d, ERRNO);
    }

    private static int errno(MemorySegment state) {
        return state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    /** Every attribute of the path (not following a symlink); empty where the file system has none. */
    public static List<Xattr> read(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment cpath = dev.kiln.core.fsname.RawNames.nativePath(arena, path);
            for (int attempt = 0; attempt < 5; attempt++) {
                long size = (long) Llistxattr.LIST.invokeExact(state, cpath, MemorySegment.NULL, 0L);
                if (size < 0) {
                    int e = errno(state);
                    if (e == ENOTSUP) {
                        return List.of();
                    }
                    throw new IOException(path + ": llistxattr failed (errno " + e + ")");
                }
                if (size == 0) {
                    return List.of();
                }
                MemorySegment names = arena.allocate(size);
                long n = (long) Llistxattr.LIST.invokeExact(state, cpath, names, size);
                if (n < 0 && errno(state) == ERANGE) {
                    continue; // attributes were added meanwhile
                }
                if (n < 0) {
                    throw new IOException(path + ": llistxattr failed (errno " + errno(state) + ")");
                }
                List<Xattr> result = new ArrayList<>();
                byte[] all = names.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                int start = 0;
                for (int i = 0; i < all.length; i++) {
                    if (all[i] == 0) {
                        String name = new String(all, start, i - start, StandardCharsets.UTF_8);
                        start = i + 1;
                        byte[] value = get(arena, state, cpath, name, path);
                        if (value != null) {
                            result.add(new Xattr(name, value));
                        }
                    }
                }
                return result;
            }
            throw new IOException(path + ": extended attributes keep changing");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(path + ": " + t, t);
        }
    }

    private static byte[] get(Arena arena, MemorySegment state, MemorySegment cpath, String name, Path path) throws Throwable {
        MemorySegment cname = arena.allocateFrom(name);
        long size = (long) Lgetxattr.GET.invokeExact(state, cpath, cname, MemorySegment.NULL, 0L);
        if (size < 0) {
            if (errno(state) == ENODATA) {
                return null; // removed meanwhile
            }
            throw new IOException(path + ": lgetxattr " + name + " failed (errno " + errno(state) + ")");
        }
        MemorySegment value = arena.allocate(Math.max(1, size));
        long n = (long) Lgetxattr.GET.invokeExact(state, cpath, cname, value, size);
        if (n < 0) {
            throw new IOException(path + ": lgetxattr " + name + " failed (errno " + errno(state) + ")");
        }
        return value.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Sets one attribute, not following a symlink. */
    public static void write(Path path, Xattr x) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            byte[] v = x.value();
            MemorySegment value = arena.allocate(Math.max(1, v.length));
            MemorySegment.copy(v, 0, value, ValueLayout.JAVA_BYTE, 0, v.length);
            int rc = (int) Lsetxattr.SET.invokeExact(state, dev.kiln.core.fsname.RawNames.nativePath(arena, path), arena.allocateFrom(x.name()), value, (long) v.length, 0);
            if (rc != 0) {
                int e = errno(state);
                if (e == ENOTSUP) {
                    throw new UnsupportedException(path + ": the file system does not support extended attributes (" + x.name() + ")");
                }
                throw new IOException(path + ": lsetxattr " + x.name() + " failed (errno " + e + (e == 1 ? ", not permitted" : "") + ")");
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(path + ": " + t, t);
        }
    }
}
