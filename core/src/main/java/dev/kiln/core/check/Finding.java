package dev.kiln.core.check;

import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.PackId;
import java.util.ArrayList;
import java.util.List;

/** Something a check found. Errors mean damage; hints are worth knowing but lose nothing. */
public sealed interface Finding {
    String message();

    default boolean isError() {
        return true;
    }

    /** What the damage takes away, filled in by the check's last pass. */
    default List<Affected> affected() {
        return List.of();
    }

    /** Base for findings that take files away. */
    abstract sealed class Damage implements Finding permits PackMissing, PackDamaged, BlobMissing, BlobDamaged, TreeDamaged {
        private final List<Affected> affected = new ArrayList<>();

        @Override
        public List<Affected> affected() {
            return affected;
        }

        void add(Affected a) {
            synchronized (affected) {
                affected.add(a);
            }
        }
    }

    final class PackMissing extends Damage {
        private final PackId pack;

        PackMissing(PackId pack) {
            this.pack = pack;
        }

        public PackId pack() {
            return pack;
        }

        @Override
        public String message() {
            return "pack " + pack + " is missing";
        }
    }

    final class PackDamaged extends Damage {
        private final PackId pack;
        private final String detail;

        PackDamaged(PackId pack, String detail) {
            this.pack = pack;
            this.detail = detail;
        }

        public PackId pack() {
            return pack;
        }

        @Override
        public String message() {
            return "pack " + pack + " is damaged: " + detail;
        }
    }

    /** A blob a tree references that no index file names. */
    final class BlobMissing extends Damage {
        private final BlobId blob;

        BlobMissing(BlobId blob) {
            this.blob = blob;
        }

        public BlobId blob() {
            return blob;
        }

        @Override
        public String message() {
            return "blob " + blob + " is referenced but in no index file";
        }
    }

    final class BlobDamaged extends Damage {
        private final BlobId blob;
        private final PackId pack;
        private final String detail;

        BlobDamaged(BlobId blob, PackId pack, String detail) {
            this.blob = blob;
            this.pack = pack;
            this.detail = detail;
        }

        public BlobId blob() {
            return blob;
        }

        @Override
        public String message() {
            return "blob " + blob + " in pack " + pack + " is damaged: " + detail;
        }
    }

    final class TreeDamaged extends Damage {
        private final BlobId tree;
        private final String detail;

        TreeDamaged(BlobId tree, String detail) {
            this.tree = tree;
            this.detail = detail;
        }

        public BlobId tree() {
            return tree;
        }

        @Override
        public String message() {
            return "tree " + tree + " cannot be read: " + detail;
        }
    }

    record IndexFileDamaged(String detail) implements Finding {
        @Override
        public String message() {
            return detail + " (kiln repair index rebuilds the index from the packs)";
        }
    }

    record SnapshotDamaged(String detail) implements Finding {
        @Override
        public String message() {
            return detail;
        }
    }

    /** An index file and a pack header disagree about a pack. */
    record IndexDisagrees(PackId pack, String detail) implements Finding {
        @Override
        public String message() {
            return "pack " + pack + ": " + detail;
        }
    }

    record PackUnreferenced(PackId pack, long size) implements Finding {
        @Override
        public String message() {
            return "pack " + pack + " (" + size + " bytes) is named by no index file (an interrupted backup, or a lost index file)";
        }

        @Override
        public boolean isError() {
            return false;
        }
    }

    record TreesUnreachable(long count) implements Finding {
        @Override
        public String message() {
            return count + " trees are reached from no snapshot (an interrupted backup, a deleted snapshot, or trees below a damaged one)";
        }

        @Override
        public boolean isError() {
            return false;
        }
    }
}
