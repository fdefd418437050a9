package dev.kiln.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.id.BlobId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BloomFilterTest {
    private static BlobId random(SplittableRandom r) {
        return new BlobId(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
    }

    @Test
    void neverForgetsAndRarelyInvents() {
        BloomFilter f = new BloomFilter(100_000);
        SplittableRandom r = new SplittableRandom(1);
        BlobId[] added = new BlobId[100_000];
        for (int i = 0; i < added.length; i++) {
            added[i] = random(r);
            f.add(added[i]);
        }
        for (BlobId id : added) {
            assertThat(f.mightContain(id)).isTrue();
        }
        int falsePositives = 0;
        for (int i = 0; i < 1_000_000; i++) {
            if (f.mightContain(random(r))) {
                falsePositives++;
            }
        }
        // 10 bits per blob and 7 probes: about 0.8 % expected at capacity; allow 1.2 %.
        assertThat(falsePositives).isBetween(1, 12_000);
    }

    @Test
    void roundTripKeepsMembersAndChecksTheGeneration() throws Exception {
        BloomFilter f = new BloomFilter(1000);
        BlobId id = new BlobId(1, 2, 3, 4);
        f.add(id);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.writeTo(out, 7);
        BloomFilter back = BloomFilter.readFrom(new ByteArrayInputStream(out.toByteArray()), 7);
        assertThat(back).isNotNull();
        assertThat(back.mightContain(id)).isTrue();
        assertThat(back.capacity()).isEqualTo(f.capacity());
        assertThat(BloomFilter.readFrom(new ByteArrayInputStream(out.toByteArray()), 8)).isNull();
        byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), out.size() - 3);
        assertThat(BloomFilter.readFrom(new ByteArrayInputStream(cut), 7)).isNull();
    }
}
