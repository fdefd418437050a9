package dev.kiln.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.id.BlobId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlobIdSetTest {
    private static BlobId random(SplittableRandom r) {
        return new BlobId(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
    }

    @Test
    void holdsExactlyWhatWasAddedWhileGrowingFarBeyondItsFirstSize() {
        BlobIdSet set = new BlobIdSet(10); // grows a dozen times
        Set<BlobId> reference = new HashSet<>();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 50_000; i++) {
            BlobId id = random(r);
            assertThat(set.add(id.w0(), id.w1(), id.w2(), id.w3())).isTrue();
            reference.add(id);
            if (i % 3 == 0) { // again: not added twice
                assertThat(set.add(id.w0(), id.w1(), id.w2(), id.w3())).isFalse();
            }
        }
        assertThat(set.size()).isEqualTo(reference.size());
        reference.forEach(id -> assertThat(set.contains(id)).as(id.toString()).isTrue());
        for (int i = 0; i < 100_000; i++) {
            assertThat(set.contains(random(r))).isFalse();
        }
    }

    @Test
    void idsThatDifferInOneWordOnlyAreTold() {
        BlobIdSet set = new BlobIdSet(16);
        BlobId id = new BlobId(5, 6, 7, 8);
        set.add(id);
        // same first word: the same home slot, found by probing; any other word different: absent
        for (BlobId near : List.of(new BlobId(5, 6, 7, 9), new BlobId(5, 6, 9, 8), new BlobId(5, 9, 7, 8), new BlobId(9, 6, 7, 8))) {
            assertThat(set.contains(near)).as(near.toString()).isFalse();
            set.add(near);
            assertThat(set.contains(near)).isTrue();
        }
        assertThat(set.contains(id)).isTrue();
        assertThat(set.size()).isEqualTo(5);
    }

    @Test
    void theAllZeroIdIsAMemberLikeAnyOther() {
        BlobIdSet set = new BlobIdSet(16);
        BlobId zero = new BlobId(0, 0, 0, 0);
        assertThat(set.contains(zero)).isFalse();
        assertThat(set.add(0, 0, 0, 0)).isTrue();
        assertThat(set.add(0, 0, 0, 0)).isFalse();
        assertThat(set.contains(zero)).isTrue();
        assertThat(set.contains(new BlobId(0, 0, 0, 1))).isFalse();
        assertThat(set.size()).isEqualTo(1);
    }

    @Test
    void refusesMoreThanItsLimit() {
        assertThat(BlobIdSet.fits(BlobIdSet.MAX_IDS)).isTrue();
        assertThat(BlobIdSet.fits(BlobIdSet.MAX_IDS + 1L)).isFalse();
        assertThatThrownBy(() -> new BlobIdSet(BlobIdSet.MAX_IDS + 1L)).isInstanceOf(IllegalArgumentException.class);
        BlobIdSet set = new BlobIdSet(BlobIdSet.MAX_IDS);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < BlobIdSet.MAX_IDS; i++) {
            set.add(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
        }
        assertThatThrownBy(() -> set.add(1, 2, 3, 4)).isInstanceOf(IllegalStateException.class);
    }
}
