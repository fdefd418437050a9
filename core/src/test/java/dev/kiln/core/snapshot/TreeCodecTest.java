package dev.kiln.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.id.BlobId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreeCodecTest {
    static Metadata meta(int mode) {
        return new Metadata(mode, 1000, 1000, "ann", "staff", 1_700_000_000L, 123_456_789, 1_700_000_001L, 5, 42, 7, 1);
    }

    @Test
    void roundTripsEveryNodeKindSortedByNameBytes() throws Exception {
        FileName latin1 = FileName.of(new byte[] {'c', (byte) 0xe9}); // not UTF-8
        List<Node> nodes = List.of(
                new Node.File(FileName.of("b.txt"), meta(0644), 10, List.of(new BlobId(1, 2, 3, 4), new BlobId(5, 6, 7, 8))),
                new Node.Directory(FileName.of("a"), meta(04755), new BlobId(9, 9, 9, 9)),
                new Node.Symlink(latin1, meta(0777), new byte[] {'/', 'x', (byte) 0xff}),
                new Node.Special(FileName.of("fifo"), meta(0600), Node.SpecialKind.FIFO, 0),
                new Node.Special(FileName.of("sda"), meta(0660), Node.SpecialKind.BLOCK_DEVICE, (8L << 8)),
                new Node.File(FileName.of("empty"), new Metadata(0600, 0, 0, "", "", 1, 2, 3, 4, 5, 6, 1,
                        List.of(new dev.kiln.core.xattr.ExtendedAttributes.Xattr("system.posix_acl_access", new byte[] {2, 0, 0, 0}),
                                new dev.kiln.core.xattr.ExtendedAttributes.Xattr("user.mime", "text/plain".getBytes()))), 0, List.of()));
        List<Node> back = TreeCodec.decode(TreeCodec.encode(nodes), "tree");
        assertThat(back).containsExactlyInAnyOrderElementsOf(nodes);
        assertThat(back.stream().map(n -> n.name().toString()).toList()).containsExactly("a", "b.txt", latin1.toString(), "empty", "fifo", "sda");
        assertThat(back.get(2).name().bytes()).containsExactly('c', (byte) 0xe9);
    }

    @Test
    void rejectsDuplicatesAndGarbage() {
        Node a = new Node.File(FileName.of("x"), meta(0644), 0, List.of());
        assertThatThrownBy(() -> TreeCodec.encode(List.of(a, a))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TreeCodec.decode(new byte[] {'K', 'L', 'N', 'T', 1, 0, 0, 0, 9}, "t")).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> FileName.of("a/b")).isInstanceOf(IllegalArgumentException.class);
    }

    static List<Node> everyKind() {
        return List.of(
                new Node.File(FileName.of("b.txt"), meta(0644), 10, List.of(new BlobId(1, 2, 3, 4), new BlobId(5, 6, 7, 8))),
                new Node.Directory(FileName.of("a"), meta(04755), new BlobId(9, 9, 9, 9)),
                new Node.Directory(FileName.of("z"), meta(0755), new BlobId(3, 1, 4, 1)),
                new Node.Symlink(FileName.of("link"), meta(0777), new byte[] {'/', 'x', (byte) 0xff}),
                new Node.Special(FileName.of("fifo"), meta(0600), Node.SpecialKind.FIFO, 0),
                new Node.Special(FileName.of("sda"), meta(0660), Node.SpecialKind.BLOCK_DEVICE, (8L << 8)),
                new Node.File(FileName.of("empty"), new Metadata(0600, 0, 0, "", "", 1, 2, 3, 4, 5, 6, 1,
                        List.of(new dev.kiln.core.xattr.ExtendedAttributes.Xattr("user.mime", "text/plain".getBytes()))), 0, List.of()),
                new Node.File(FileName.of("c"), meta(0644), 3, List.of(new BlobId(7, 7, 7, 7))));
    }

    @Test
    void referencesAreThoseOfTheDecodedNodes() throws Exception {
        byte[] tree = TreeCodec.encode(everyKind());
        TreeCodec.References refs = TreeCodec.references(tree, "tree");
        assertThat(refs).isEqualTo(TreeCodec.references(TreeCodec.decode(tree, "tree")));
        // in node order (sorted by name): directories a, z; files b.txt, c, empty
        assertThat(refs.subtrees()).containsExactly(new BlobId(9, 9, 9, 9), new BlobId(3, 1, 4, 1));
        assertThat(refs.content()).containsExactly(new BlobId(1, 2, 3, 4), new BlobId(5, 6, 7, 8), new BlobId(7, 7, 7, 7));
    }

    @Test
    void referencesRefuseWhatDecodeRefusesWithItsMessage() throws Exception {
        // Every truncation and every single-byte change of a tree: the skim (check's walk) accepts exactly what the
        // decoder (restore) accepts, and reports a refusal as the decoder does.
        byte[] tree = TreeCodec.encode(everyKind());
        int refused = 0;
        for (int cut = 0; cut < tree.length; cut++) {
            refused += sameVerdict(java.util.Arrays.copyOf(tree, cut));
        }
        java.util.Random random = new java.util.Random(42);
        for (int at = 0; at < tree.length; at++) {
            for (byte b : new byte[] {0, '/', (byte) 0xff, (byte) random.nextInt(), (byte) (tree[at] + 1)}) {
                byte[] changed = tree.clone();
                changed[at] = b;
                refused += sameVerdict(changed);
            }
        }
        byte[] longer = java.util.Arrays.copyOf(tree, tree.length + 1);
        refused += sameVerdict(longer);
        assertThat(refused).as("malformed variants refused").isGreaterThan(tree.length);
    }

    /** 1 when both refuse {@code bytes} (with one message), 0 when both accept it (with the same references). */
    private static int sameVerdict(byte[] bytes) throws Exception {
        List<Node> nodes;
        try {
            nodes = TreeCodec.decode(bytes, "tree t");
        } catch (java.io.IOException refused) {
            assertThatThrownBy(() -> TreeCodec.references(bytes, "tree t")).isInstanceOf(java.io.IOException.class)
                    .hasMessage(refused.getMessage());
            return 1;
        }
        assertThat(TreeCodec.references(bytes, "tree t")).isEqualTo(TreeCodec.references(nodes));
        return 0;
    }
}
