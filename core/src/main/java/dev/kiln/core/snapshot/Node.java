package dev.kiln.core.snapshot;

import dev.kiln.core.id.BlobId;
import java.util.List;

/** One entry of a directory listing. */
public sealed interface Node {
    FileName name();

    Metadata meta();

    /** A regular file: its size and the ids of the blobs that make up its content, in order. */
    record File(FileName name, Metadata meta, long size, List<BlobId> content) implements Node {
        public File {
            content = List.copyOf(content);
            if (size < 0) {
                throw new IllegalArgumentException("negative size for " + name);
            }
        }

        // Written out (here and below), as in BlobId: a backup compares every entry with its parent's, and a
        // record's generated equals is a method-handle chain made at run time.
        @Override
        public boolean equals(Object o) {
            return o instanceof File f && size == f.size && name.equals(f.name) && meta.equals(f.meta) && content.equals(f.content);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Long.hashCode(size);
        }
    }

    /** A directory and the id of the tree blob that lists it. */
    record Directory(FileName name, Metadata meta, BlobId subtree) implements Node {
        @Override
        public boolean equals(Object o) {
            return o instanceof Directory d && name.equals(d.name) && meta.equals(d.meta) && subtree.equals(d.subtree);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + subtree.hashCode();
        }
    }

    /** A symbolic link and the bytes of its target, which is never followed. */
    record Symlink(FileName name, Metadata meta, byte[] target) implements Node {
        public Symlink {
            target = target.clone();
        }

        @Override
        public byte[] target() {
            return target.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Symlink s && name.equals(s.name) && meta.equals(s.meta) && java.util.Arrays.equals(target, s.target);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + java.util.Arrays.hashCode(target);
        }
    }

    /** A FIFO, device or socket: recorded, never read. {@code rdev} is the device number. */
    record Special(FileName name, Metadata meta, SpecialKind kind, long rdev) implements Node {
        @Override
        public boolean equals(Object o) {
            return o instanceof Special s && kind == s.kind && rdev == s.rdev && name.equals(s.name) && meta.equals(s.meta);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Long.hashCode(rdev);
        }
    }

    enum SpecialKind {
        FIFO, CHAR_DEVICE, BLOCK_DEVICE, SOCKET
    }
}
