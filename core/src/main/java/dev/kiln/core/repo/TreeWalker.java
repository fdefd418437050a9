package dev.kiln.core.repo;

import dev.kiln.core.id.BlobId;
import dev.kiln.core.snapshot.FileName;
import dev.kiln.core.snapshot.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Walks a snapshot's trees depth-first, in name order, loading each tree only when it is reached. */
public final class TreeWalker {
    private final Repository repo;

    public TreeWalker(Repository repo) {
        this.repo = repo;
    }

    @FunctionalInterface
    public interface Visitor {
        /** Called for every node; {@code path} is its absolute path in the snapshot. */
        void visit(Path path, Node node) throws IOException;
    }

    /**
     * Visits everything at and below {@code start} (an absolute path in the snapshot; "/" for all).
     * @return false when {@code start} is not in the snapshot
     */
    public boolean walk(BlobId rootTree, Path start, Visitor visitor) throws IOException {
        Path norm = start.normalize();
        BlobId tree = rootTree;
        Path at = Path.of("/");
        for (int i = 0; i < norm.getNameCount(); i++) {
            FileName want = FileName.of(norm.getName(i).toString());
            Optional<Node> found = repo.loadTree(tree).stream().filter(n -> n.name().equals(want)).findFirst();
            if (found.isEmpty()) {
                return false;
            }
            at = at.resolve(want.toString());
            if (i == norm.getNameCount() - 1) {
                visitor.visit(at, found.get());
                if (found.get() instanceof Node.Directory d) {
                    walkTree(d.subtree(), at, visitor);
                }
                return true;
            }
            if (!(found.get() instanceof Node.Directory d)) {
                return false;
            }
            tree = d.subtree();
        }
        walkTree(tree, at, visitor);
        return true;
    }

    private void walkTree(BlobId tree, Path dir, Visitor visitor) throws IOException {
        List<Node> nodes = repo.loadTree(tree);
        for (Node n : nodes) {
            Path p = dir.resolve(n.name().toString());
            visitor.visit(p, n);
            if (n instanceof Node.Directory d) {
                walkTree(d.subtree(), p, visitor);
            }
        }
    }
}
