package dev.kiln.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.crypto.IntegrityException;
import dev.kiln.core.snapshot.Snapshot;
import dev.kiln.core.store.MemoryBlobStore;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.testing.TestRepositories;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Listing snapshots: oldest first by time, damaged ones reported (in listing order) and left out, few or many. */
class SnapshotListTest {
    private static final byte[] PASSWORD = "pw".getBytes();
    private final MemoryBlobStore store = new MemoryBlobStore();

    private static Snapshot at(Instant time, String host) {
        return new Snapshot(1, time.toString(), "0".repeat(64), List.of("/data"), host, "user", List.of(), null,
                new Snapshot.Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false));
    }

    @Test
    void manySnapshotsComeSortedByTimeAndDamagedOnesAreNamed() throws Exception {
        listsSortedAndNamesDamage(40);
    }

    @Test
    void fewSnapshotsLikewise() throws Exception {
        listsSortedAndNamesDamage(5);
    }

    private void listsSortedAndNamesDamage(int count) throws IOException {
        Repository.init(store, PASSWORD, TestRepositories.small(), Clock.systemUTC(), "host", "user").close();
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        List<String> ids = new ArrayList<>();
        try (Repository repo = Repository.open(store, PASSWORD, Clock.systemUTC())) {
            for (int i = 0; i < count; i++) {
                // saved out of time order: every third one is older than all before it
                Instant t = i % 3 == 0 ? base.minusSeconds(1000L * i) : base.plusSeconds(60L * i);
                ids.add(repo.saveSnapshot(at(t, "host-" + i)));
            }
        }
        String broken = ids.get(count / 2);
        ObjectKey key = ObjectKey.of(ObjectKind.SNAPSHOT, broken);
        byte[] b = store.get(key);
        b[b.length / 2] ^= 1;
        store.put(key, b);

        try (Repository repo = Repository.open(store, PASSWORD, Clock.systemUTC())) {
            List<String> damaged = new ArrayList<>();
            List<SnapshotRef> all = repo.listSnapshots(e -> damaged.add(e.getMessage()));
            assertThat(damaged).singleElement().asString().contains(broken.substring(0, 8));
            assertThat(all).hasSize(count - 1).extracting(SnapshotRef::id).doesNotContain(broken)
                    .containsExactlyInAnyOrderElementsOf(ids.stream().filter(id -> !id.equals(broken)).toList());
            assertThat(all).extracting(r -> Instant.parse(r.snapshot().time())).isSorted();
            assertThatThrownBy(repo::listSnapshots).isInstanceOf(IntegrityException.class);
        }
    }
}
