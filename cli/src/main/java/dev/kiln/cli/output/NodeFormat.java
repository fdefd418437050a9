package dev.kiln.cli.output;

import dev.kiln.core.snapshot.Metadata;
import dev.kiln.core.snapshot.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** How {@code ls} shows a node. */
public final class NodeFormat {
    private NodeFormat() {
    }

    public static String type(Node n) {
        return switch (n) {
            case Node.File f -> "file";
            case Node.Directory d -> "dir";
            case Node.Symlink s -> "symlink";
            case Node.Special s -> switch (s.kind()) {
                case FIFO -> "fifo";
                case CHAR_DEVICE -> "chardev";
                case BLOCK_DEVICE -> "blockdev";
                case SOCKET -> "socket";
            };
        };
    }

    /** {@code drwxr-xr-x}-style mode string with the type letter. */
    public static String modeString(Node n) {
        char t = switch (n) {
            case Node.File f -> '-';
            case Node.Directory d -> 'd';
            case Node.Symlink s -> 'l';
            case Node.Special s -> switch (s.kind()) {
                case FIFO -> 'p';
                case CHAR_DEVICE -> 'c';
                case BLOCK_DEVICE -> 'b';
                case SOCKET -> 's';
            };
        };
        int m = n.meta().mode();
        StringBuilder sb = new StringBuilder().append(t);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((m & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        if ((m & 04000) != 0) sb.setCharAt(3, (m & 0100) != 0 ? 's' : 'S');
        if ((m & 02000) != 0) sb.setCharAt(6, (m & 010) != 0 ? 's' : 'S');
        if ((m & 01000) != 0) sb.setCharAt(9, (m & 01) != 0 ? 't' : 'T');
        return sb.toString();
    }

    public static long size(Node n) {
        return n instanceof Node.File f ? f.size() : 0;
    }

    public static Instant mtime(Metadata m) {
        return Instant.ofEpochSecond(m.mtimeSeconds(), m.mtimeNanos());
    }

    public static String longLine(Path path, Node n) {
        Metadata m = n.meta();
        String owner = m.user().isEmpty() ? String.valueOf(m.uid()) : m.user();
        String group = m.group().isEmpty() ? String.valueOf(m.gid()) : m.group();
        String line = String.format("%s %-8s %-8s %12d %s %s", modeString(n), owner, group, size(n), mtime(m), path);
        if (n instanceof Node.Symlink s) {
            line += " -> " + new String(s.target(), StandardCharsets.UTF_8);
        }
        return line;
    }

    public static Map<String, Object> json(Path path, Node n) {
        Metadata m = n.meta();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("path", path.toString());
        j.put("name", n.name().toString());
        j.put("type", type(n));
        j.put("mode", m.mode());
        j.put("uid", m.uid());
        j.put("gid", m.gid());
        j.put("user", m.user());
        j.put("group", m.group());
        j.put("size", size(n));
        j.put("mtime", mtime(m).toString());
        switch (n) {
            case Node.File f -> j.put("blobs", f.content().size());
            case Node.Symlink s -> j.put("target", new String(s.target(), StandardCharsets.UTF_8));
            case Node.Special s -> j.put("rdev", s.rdev());
            case Node.Directory d -> j.put("subtree", d.subtree().hex());
        }
        return j;
    }
}
