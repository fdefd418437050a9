package dev.kiln.core.backup;

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

    /** The exact bytes of the last element of {@code path}. */
    public static byte[] bytesOf(Path path) {
        String raw = path.toAbsolutePath().toUri().getRawPath();
        if (raw.endsWith("/") && raw.length() > 1) {
            raw = raw.substring(0, raw.length() - 1); // directories get a trailing slash
        }
        String last = raw.substring(raw.lastIndexOf('/') + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(last.length());
        for (int i = 0; i < last.length(); i++) {
            char c = last.charAt(i);
            if (c == '%' && i + 2 < last.length()) {
                out.write(Integer.parseInt(last.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
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
