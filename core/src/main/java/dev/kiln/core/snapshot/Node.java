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
    }

    /** A directory and the id of the tree blob that lists it. */
    record Directory(FileName name, Metadata meta, BlobId subtree) implements Node {
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
    }

    enum SpecialKind {
        FIFO, CHAR_DEVICE, BLOCK_DEVICE, SOCKET
    }
}
