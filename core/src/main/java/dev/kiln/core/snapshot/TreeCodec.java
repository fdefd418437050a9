package dev.kiln.core.snapshot;

import dev.kiln.core.id.BlobId;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The byte form of a tree (a directory listing), as specified in docs/repository-format.md §8:
 * magic "KLNT", version 1, node count, then the nodes sorted by name bytes.
 */
public final class TreeCodec {
    static final byte[] MAGIC = {'K', 'L', 'N', 'T'};
    static final int VERSION = 1;

    // Wire tags of node types; never ordinal().
    static final int FILE = 1, DIRECTORY = 2, SYMLINK = 3, FIFO = 4, CHAR_DEVICE = 5, BLOCK_DEVICE = 6, SOCKET = 7;

    private TreeCodec() {
    }

    /** Encodes nodes, sorted by name; names must be unique. */
    public static byte[] encode(List<Node> nodes) {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(Node::name));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
                throw new IllegalArgumentException("duplicate name in tree: " + sorted.get(i).name());
            }
        }
        int size = 9;
        for (Node n : sorted) {
            size += encodedSize(n);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(MAGIC).put((byte) VERSION).putInt(sorted.size());
        for (Node n : sorted) {
            write(n, out);
        }
        return out.array();
    }

    /** The nodes of a tree; {@code what} names it in errors (its {@code toString} is taken only then). */
    public static List<Node> decode(byte[] bytes, Object what) throws IOException {
        List<Node> nodes = new ArrayList<>();
        parse(bytes, what, in -> nodes.add(read(in)));
        return nodes;
    }

    /** What a tree references: the subtrees of its directories and the blobs of its files, in node order. */
    public record References(List<BlobId> subtrees, List<BlobId> content) {
    }

    /**
     * What a tree references, the tree checked as {@link #decode} checks it, without making its nodes: check's
     * structure walk needs only this, and names, owners and attributes made most of its time decoding.
     */
    public static References references(byte[] bytes, Object what) throws IOException {
        References refs = new References(new ArrayList<>(), new ArrayList<>());
        try {
            parse(bytes, what, in -> skim(in, refs));
            return refs;
        } catch (IOException malformed) {
            return references(decode(bytes, what)); // the decoder's verdict, and its message (which names the node)
        }
    }

    /** What {@code nodes} reference. */
    public static References references(List<Node> nodes) {
        References refs = new References(new ArrayList<>(), new ArrayList<>());
        for (Node n : nodes) {
            switch (n) {
                case Node.File f -> refs.content().addAll(f.content());
                case Node.Directory d -> refs.subtrees().add(d.subtree());
                default -> {
                }
            }
        }
        return refs;
    }

    @FunctionalInterface
    private interface NodeReader {
        void read(ByteBuffer in) throws IOException;
    }

    /** Checks the header, reads each node with {@code node}, and checks that nothing follows. */
    private static void parse(byte[] bytes, Object what, NodeReader node) throws IOException {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte[] magic = new byte[4];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC) || in.get() != VERSION) {
                throw new IOException(what + ": not a version 1 tree");
            }
            int count = in.getInt();
            if (count < 0 || count > in.remaining()) {
                throw new IOException(what + ": bad node count " + count);
            }
            for (int i = 0; i < count; i++) {
                node.read(in);
            }
            if (in.hasRemaining()) {
                throw new IOException(what + ": " + in.remaining() + " trailing bytes");
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException(what + ": malformed tree: " + e.getMessage(), e);
        }
    }

    /**
     * Steps over a node as {@link #read} reads it, with the same checks (the messages aside: {@link #references}
     * asks the decoder for those); adds what it references to {@code refs}.
     */
    private static void skim(ByteBuffer in, References refs) throws IOException {
        int tag = in.get();
        int nameLength = Short.toUnsignedInt(in.getShort());
        FileName.check(in.array(), in.arrayOffset() + in.position(), Math.min(nameLength, in.remaining()));
        skip(in, nameLength);
        int mode = in.getInt();
        skip(in, 8); // uid, gid
        skip(in, Short.toUnsignedInt(in.getShort())); // user
        skip(in, Short.toUnsignedInt(in.getShort())); // group
        skip(in, 8);
        int mtimeNanos = in.getInt();
        skip(in, 8);
        int ctimeNanos = in.getInt();
        Metadata.check(mode, mtimeNanos, ctimeNanos);
        skip(in, 3 * 8); // inode, device, links
        int xattrCount = Short.toUnsignedInt(in.getShort());
        for (int i = 0; i < xattrCount; i++) {
            skip(in, Short.toUnsignedInt(in.getShort()));
            int len = in.getInt();
            if (len < 0 || len > in.remaining()) {
                throw new IOException("bad extended attribute length " + len);
            }
            skip(in, len);
        }
        switch (tag) {
            case FILE -> {
                if (in.getLong() < 0) {
                    throw new IOException("negative file size");
                }
                int count = in.getInt();
                if (count < 0 || (long) count * 32 > in.remaining()) {
                    throw new IOException("bad blob count " + count);
                }
                for (int i = 0; i < count; i++) {
                    refs.content().add(readId(in));
                }
            }
            case DIRECTORY -> refs.subtrees().add(readId(in));
            case SYMLINK -> {
                int len = in.getInt();
                if (len < 0 || len > in.remaining()) {
                    throw new IOException("bad symlink target length " + len);
                }
                skip(in, len);
            }
            case FIFO, CHAR_DEVICE, BLOCK_DEVICE, SOCKET -> in.getLong();
            default -> throw new IOException("unknown node type " + tag);
        }
    }

    /** Steps over {@code n} bytes; IllegalArgumentException (a malformed tree) when fewer are left. */
    private static void skip(ByteBuffer in, int n) {
        in.position(in.position() + n);
    }

    private static int encodedSize(Node n) {
        Metadata m = n.meta();
        int size = 1 + 2 + n.name().length() + 4 + 4 + 4 + 2 + utf8(m.user()).length + 2 + utf8(m.group()).length
                + 8 + 4 + 8 + 4 + 8 + 8 + 8 + 2;
        for (var x : m.xattrs()) {
            size += 2 + utf8(x.name()).length + 4 + x.value().length;
        }
        return size + switch (n) {
            case Node.File f -> 8 + 4 + 32 * f.content().size();
            case Node.Directory d -> 32;
            case Node.Symlink s -> 4 + s.target().length;
            case Node.Special s -> 8;
        };
    }

    private static void write(Node n, ByteBuffer out) {
        Metadata m = n.meta();
        out.put((byte) tag(n));
        out.putShort((short) n.name().length());
        n.name().writeTo(out);
        out.putInt(m.mode()).putInt(m.uid()).putInt(m.gid());
        putShortBytes(out, utf8(m.user()));
        putShortBytes(out, utf8(m.group()));
        out.putLong(m.mtimeSeconds()).putInt(m.mtimeNanos()).putLong(m.ctimeSeconds()).putInt(m.ctimeNanos());
        out.putLong(m.inode()).putLong(m.device()).putLong(m.links());
        out.putShort((short) m.xattrs().size());
        for (var x : m.xattrs()) {
            putShortBytes(out, utf8(x.name()));
            byte[] v = x.value();
            out.putInt(v.length).put(v);
        }
        switch (n) {
            case Node.File f -> {
                out.putLong(f.size()).putInt(f.content().size());
                f.content().forEach(id -> out.put(id.toBytes()));
            }
            case Node.Directory d -> out.put(d.subtree().toBytes());
            case Node.Symlink s -> {
                byte[] t = s.target();
                out.putInt(t.length).put(t);
            }
            case Node.Special s -> out.putLong(s.rdev());
        }
    }

    private static Node read(ByteBuffer in) throws IOException {
        int tag = in.get();
        byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(name);
        FileName fileName = FileName.of(name);
        int mode = in.getInt(), uid = in.getInt(), gid = in.getInt();
        String user = getShortString(in), group = getShortString(in);
        long mtime = in.getLong();
        int mtimeNanos = in.getInt();
        long ctime = in.getLong();
        int ctimeNanos = in.getInt();
        long inode = in.getLong(), device = in.getLong(), links = in.getLong();
        int xattrCount = Short.toUnsignedInt(in.getShort());
        List<dev.kiln.core.xattr.ExtendedAttributes.Xattr> xattrs = new ArrayList<>(xattrCount);
        for (int i = 0; i < xattrCount; i++) {
            String xname = getShortString(in);
            int len = in.getInt();
            if (len < 0 || len > in.remaining()) {
                throw new IOException(fileName + ": bad extended attribute length " + len);
            }
            byte[] value = new byte[len];
            in.get(value);
            xattrs.add(new dev.kiln.core.xattr.ExtendedAttributes.Xattr(xname, value));
        }
        Metadata m = new Metadata(mode, uid, gid, user, group, mtime, mtimeNanos, ctime, ctimeNanos, inode, device, links, xattrs);
        return switch (tag) {
            case FILE -> {
                long size = in.getLong();
                int count = in.getInt();
                if (count < 0 || (long) count * 32 > in.remaining()) {
                    throw new IOException("file " + fileName + ": bad blob count " + count);
                }
                List<BlobId> ids = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    ids.add(readId(in));
                }
                yield new Node.File(fileName, m, size, ids);
            }
            case DIRECTORY -> new Node.Directory(fileName, m, readId(in));
            case SYMLINK -> {
                int len = in.getInt();
                if (len < 0 || len > in.remaining()) {
                    throw new IOException("symlink " + fileName + ": bad target length " + len);
                }
                byte[] target = new byte[len];
                in.get(target);
                yield new Node.Symlink(fileName, m, target);
            }
            case FIFO -> new Node.Special(fileName, m, Node.SpecialKind.FIFO, in.getLong());
            case CHAR_DEVICE -> new Node.Special(fileName, m, Node.SpecialKind.CHAR_DEVICE, in.getLong());
            case BLOCK_DEVICE -> new Node.Special(fileName, m, Node.SpecialKind.BLOCK_DEVICE, in.getLong());
            case SOCKET -> new Node.Special(fileName, m, Node.SpecialKind.SOCKET, in.getLong());
            default -> throw new IOException(fileName + ": unknown node type " + tag);
        };
    }

    private static int tag(Node n) {
        return switch (n) {
            case Node.File f -> FILE;
            case Node.Directory d -> DIRECTORY;
            case Node.Symlink s -> SYMLINK;
            case Node.Special s -> switch (s.kind()) {
                case FIFO -> FIFO;
                case CHAR_DEVICE -> CHAR_DEVICE;
                case BLOCK_DEVICE -> BLOCK_DEVICE;
                case SOCKET -> SOCKET;
            };
        };
    }

    private static BlobId readId(ByteBuffer in) {
        return BlobId.readFrom(in);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putShortBytes(ByteBuffer out, byte[] b) {
        out.putShort((short) b.length).put(b);
    }

    private static String getShortString(ByteBuffer in) {
        byte[] b = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
