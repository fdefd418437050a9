package dev.kiln.core.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.compress.Compression;
import dev.kiln.core.compress.ZstdCompressor;
import dev.kiln.core.crypto.Aead;
import dev.kiln.core.crypto.IntegrityException;
import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.PackId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackWriterTest {
    private final Aead blobKey = new Aead(new byte[32]);
    private final Aead metaKey = new Aead(filled(32));
    private final BlobCodec codec = new BlobCodec(blobKey, new ZstdCompressor(3));

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 9);
        return b;
    }

    @Test
    void packRoundTripsThroughItsHeader() throws Exception {
        PackWriter w = new PackWriter(BlobType.DATA);
        List<byte[]> plains = new ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < 20; i++) {
            byte[] p = new byte[1000 + i * 37];
            if (i % 2 == 0) {
                r.nextBytes(p); // incompressible: stored raw
            }
            plains.add(p);
            w.add(codec.seal(BlobType.DATA, id(i), p, 0, p.length));
        }
        Pack pack = w.finish(metaKey, new Random(2));
        assertThat(pack.id()).isEqualTo(PackId.of(pack.bytes()));
        assertThat(w.isEmpty()).isTrue();
        List<PackEntry> entries = PackHeader.parse(pack.bytes(), pack.bytes().length, metaKey, "pack");
        assertThat(entries).isEqualTo(pack.entries()).hasSize(20);
        assertThat(entries.stream().map(PackEntry::id).toList()).isNotEqualTo(
                java.util.stream.IntStream.range(0, 20).mapToObj(PackWriterTest::id).toList()); // shuffled
        for (PackEntry e : entries) {
            int i = (int) e.id().w3();
            assertThat(e.compression()).isEqualTo(i % 2 == 0 ? Compression.NONE : Compression.ZSTD);
            assertThat(codec.open(e, pack.bytes(), e.offset())).isEqualTo(plains.get(i));
        }
    }

    @Test
    void blobCannotBePassedOffAsAnother() {
        PackWriter w = new PackWriter(BlobType.DATA);
        w.add(codec.seal(BlobType.DATA, id(1), new byte[10], 0, 10));
        Pack pack = w.finish(metaKey, new Random(1));
        PackEntry e = pack.entries().getFirst();
        PackEntry forged = new PackEntry(e.type(), id(2), e.offset(), e.length(), e.rawLength(), e.compression());
        assertThatThrownBy(() -> codec.open(forged, pack.bytes(), 0)).isInstanceOf(IntegrityException.class);
    }

    @Test
    void damagedHeaderIsDetected() {
        PackWriter w = new PackWriter(BlobType.TREE);
        w.add(codec.seal(BlobType.TREE, id(1), new byte[10], 0, 10));
        byte[] bytes = w.finish(metaKey, new Random(1)).bytes();
        bytes[bytes.length - 10] ^= 1;
        assertThatThrownBy(() -> PackHeader.parse(bytes, bytes.length, metaKey, "pack")).isInstanceOf(IntegrityException.class);
        byte[] truncated = java.util.Arrays.copyOf(bytes, 20);
        assertThatThrownBy(() -> PackHeader.parse(truncated, truncated.length, metaKey, "pack")).isInstanceOf(IntegrityException.class);
    }

    @Test
    void typesAreNotMixed() {
        PackWriter w = new PackWriter(BlobType.TREE);
        assertThatThrownBy(() -> w.add(codec.seal(BlobType.DATA, id(1), new byte[1], 0, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static BlobId id(int i) {
        return new BlobId(0, 0, 0, i);
    }
}
