package dev.kiln.core.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.compress.Compression;
import dev.kiln.core.compress.ZstdCompressor;
import dev.kiln.core.crypto.Aead;
import dev.kiln.core.crypto.IntegrityException;
import dev.kiln.core.id.BlobId;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlobCodecTest {
    private final SplittableRandom random = new SplittableRandom(7);
    private final BlobCodec codec = new BlobCodec(new Aead(new byte[32]), new ZstdCompressor(3));

    private byte[] compressible(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) "kiln backs up servers ".charAt(i % 22);
        }
        return b;
    }

    private byte[] noise(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The blob as a pack holds it: a few bytes of something else before it, as at an offset in a pack. */
    private record Stored(PackEntry entry, byte[] pack) {
    }

    private Stored store(BlobType type, byte[] plain) {
        BlobId id = new BlobId(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
        BlobCodec.SealedBlob s = codec.seal(type, id, plain, 0, plain.length);
        byte[] pack = new byte[5 + s.sealed().length];
        System.arraycopy(s.sealed(), 0, pack, 5, s.sealed().length);
        return new Stored(new PackEntry(type, id, 5, s.sealed().length, s.rawLength(), s.compression()), pack);
    }

    @Test
    void opensBlobAfterBlobIntoOneScratchExactlyAsOpenDoes() throws Exception {
        BlobCodec.Scratch scratch = new BlobCodec.Scratch();
        // large, then smaller ones: the buffers are reused, and only the returned length counts
        for (byte[] plain : new byte[][] {compressible(3 << 20), noise(70_000), compressible(1000), new byte[0], noise(1)}) {
            Stored s = store(BlobType.DATA, plain);
            int n = codec.openInto(s.entry(), s.pack(), 5, scratch);
            assertThat(n).isEqualTo(plain.length);
            assertThat(Arrays.copyOf(scratch.plain(), n)).isEqualTo(plain);
            assertThat(codec.open(s.entry(), s.pack(), 5)).isEqualTo(plain);
        }
        assertThat(store(BlobType.DATA, compressible(5000)).entry().compression()).isEqualTo(Compression.ZSTD);
        assertThat(store(BlobType.DATA, noise(5000)).entry().compression()).isEqualTo(Compression.NONE);
    }

    @Test
    void opensFromNativeMemoryAsFromAnArray() throws Exception {
        // check maps packs; the same bytes there open the same, into a scratch on the heap or off it (check's), and
        // damage there is damage
        for (BlobCodec.Scratch scratch : new BlobCodec.Scratch[] {new BlobCodec.Scratch(), BlobCodec.Scratch.offHeap()}) {
            opensFromNativeMemoryAsFromAnArray(scratch);
        }
        assertThatThrownBy(() -> BlobCodec.Scratch.offHeap().plain()).isInstanceOf(IllegalStateException.class);
    }

    private static byte[] plaintext(BlobCodec.Scratch scratch, int n) {
        return scratch.plainSegment().asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    private void opensFromNativeMemoryAsFromAnArray(BlobCodec.Scratch scratch) throws Exception {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            // (the last two are larger than the default largest blob: an off-heap scratch, made that large at once,
            // grows past it, with and without compression)
            for (byte[] plain : new byte[][] {compressible(2 << 20), noise(70_000), new byte[0], compressible(100), noise(3 << 20),
                    compressible(10 << 20), noise(9 << 20)}) {
                Stored s = store(BlobType.DATA, plain);
                java.lang.foreign.MemorySegment pack = arena.allocate(s.pack().length);
                java.lang.foreign.MemorySegment.copy(java.lang.foreign.MemorySegment.ofArray(s.pack()), 0, pack, 0, s.pack().length);
                java.lang.foreign.MemorySegment blob = pack.asSlice(5, s.entry().length());
                int n = codec.openInto(s.entry(), blob, scratch);
                assertThat(plaintext(scratch, n)).isEqualTo(plain);
                assertThat(dev.kiln.core.crypto.Sha256.digest(pack)).isEqualTo(dev.kiln.core.crypto.Sha256.digest(s.pack()));
                long at = 5 + s.entry().length() - 3; // in the tag
                pack.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at, (byte) (pack.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at) ^ 1));
                assertThatThrownBy(() -> codec.openInto(s.entry(), blob, scratch))
                        .isInstanceOf(IntegrityException.class).hasMessageContaining("authentication failed");
            }
        }
    }

    @Test
    void aFlippedBitAnotherIdOrAWrongLengthIsDamageNotData() {
        aFlippedBitAnotherIdOrAWrongLengthIsDamageNotData(new BlobCodec.Scratch());
        aFlippedBitAnotherIdOrAWrongLengthIsDamageNotData(BlobCodec.Scratch.offHeap());
    }

    private void aFlippedBitAnotherIdOrAWrongLengthIsDamageNotData(BlobCodec.Scratch scratch) {
        for (byte[] plain : new byte[][] {compressible(40_000), noise(40_000)}) {
            Stored s = store(BlobType.DATA, plain);
            byte[] flipped = s.pack().clone();
            flipped[5 + s.entry().length() / 2] ^= 0x10;
            assertThatThrownBy(() -> codec.openInto(s.entry(), flipped, 5, scratch))
                    .isInstanceOf(IntegrityException.class).hasMessageContaining("authentication failed");
            PackEntry otherId = new PackEntry(BlobType.DATA, new BlobId(1, 2, 3, 4), 5, s.entry().length(),
                    s.entry().rawLength(), s.entry().compression());
            assertThatThrownBy(() -> codec.openInto(otherId, s.pack(), 5, scratch)).isInstanceOf(IntegrityException.class);
            PackEntry asTree = new PackEntry(BlobType.TREE, s.entry().id(), 5, s.entry().length(),
                    s.entry().rawLength(), s.entry().compression());
            assertThatThrownBy(() -> codec.openInto(asTree, s.pack(), 5, scratch)).isInstanceOf(IntegrityException.class);
            PackEntry longer = new PackEntry(BlobType.DATA, s.entry().id(), 5, s.entry().length(),
                    s.entry().rawLength() + 1, s.entry().compression());
            assertThatThrownBy(() -> codec.openInto(longer, s.pack(), 5, scratch)).isInstanceOf(IntegrityException.class);
        }
    }
}
