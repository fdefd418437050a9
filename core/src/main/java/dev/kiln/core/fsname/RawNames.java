package dev.kiln.core.fsname;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * File names as bytes through public JDK API: a {@link Path} keeps the bytes the file system gave, and its file URI
 * percent-encodes them exactly (ADR 0002), while {@code toString()} replaces bytes that are not UTF-8.
 */
public final class RawNames {
    private static final String HEX = "0123456789ABCDEF";

    private RawNames() {
    }

    /** The exact bytes of the whole (absolute) path. */
    public static byte[] pathBytes(Path path) {
        String s = path.toString();
        if (s.indexOf('\uFFFD') < 0) {
            return path.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        String raw = path.toAbsolutePath().toUri().getRawPath();
        if (raw.length() > 1 && raw.endsWith("/")) {
            raw = raw.substring(0, raw.length() - 1); // directories get a trailing slash
        }
        return percentDecode(raw);
    }

    /** The exact bytes of the last element of {@code path}. */
    public static byte[] bytesOf(Path path) {
        byte[] all = pathBytes(path);
        int slash = all.length - 1;
        while (slash >= 0 && all[slash] != '/') {
            slash--;
        }
        return java.util.Arrays.copyOfRange(all, slash + 1, all.length);
    }

    private static byte[] percentDecode(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c); // the URI's path is ASCII apart from escapes
            }
        }
        return out.toByteArray();
    }

    /** Bytes as a NUL-terminated C string for a native call. */
    public static java.lang.foreign.MemorySegment cString(java.lang.foreign.Arena arena, byte[] b) {
        java.lang.foreign.MemorySegment seg = arena.allocate(b.length + 1L); // zeroed: the last byte is the NUL
        java.lang.foreign.MemorySegment.copy(b, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, b.length);
        return seg;
    }

    /** The path's exact bytes as a C string for a native call (see {@link #pathBytes}). */
    public static java.lang.foreign.MemorySegment nativePath(java.lang.foreign.Arena arena, Path path) {
        return cString(arena, pathBytes(path));
    }

    /** {@code dir} resolved with a name given as bytes, which need not be UTF-8. */
    public static Path resolve(Path dir, byte[] name) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(name)).toString();
            return dir.resolve(s);
        } catch (CharacterCodingException notUtf8) {
            String base = dir.toAbsolutePath().toUri().getRawPath();
            StringBuilder uri = new StringBuilder("file://").append(base.endsWith("/") ? base : base + "/");
            for (byte b : name) {
                uri.append('%').append(HEX.charAt((b >> 4) & 15)).append(HEX.charAt(b & 15));
            }
            return Path.of(URI.create(uri.toString()));
        }
    }
}
