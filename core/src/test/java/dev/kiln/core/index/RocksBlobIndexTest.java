package dev.kiln.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.compress.Compression;
import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.PackId;
import dev.kiln.core.pack.BlobType;
import dev.kiln.core.pack.PackEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksBlobIndexTest {
    @TempDir
    Path tmp;
    private final SplittableRandom random = new SplittableRandom(42);

    private BlobId blob() {
        return new BlobId(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    private PackId pack() {
        return new PackId(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    private Map<PackId, List<PackEntry>> file(int packs, int blobsPerPack) {
        Map<PackId, List<PackEntry>> m = new HashMap<>();
        for (int p = 0; p < packs; p++) {
            List<PackEntry> entries = new ArrayList<>();
            for (int b = 0; b < blobsPerPack; b++) {
                entries.add(new PackEntry(b == 0 ? BlobType.TREE : BlobType.DATA, blob(), b * 100, 100, 150, Compression.ZSTD));
            }
            m.put(pack(), entries);
        }
        return m;
    }

    @Test
    void findsWhatIndexFilesNamedAcrossReopen() throws Exception {
        Map<PackId, List<PackEntry>> a = file(3, 50);
        Map<PackId, List<PackEntry>> b = file(2, 10);
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            index.addIndexFile("aa", a);
            index.addIndexFile("bb", b);
            assertThat(index.indexFiles()).containsExactlyInAnyOrder("aa", "bb");
        }
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            assertThat(index.indexFiles()).containsExactlyInAnyOrder("aa", "bb");
            for (Map<PackId, List<PackEntry>> f : List.of(a, b)) {
                f.forEach((pack, entries) -> {
                    for (PackEntry e : entries) {
                        assertThat(index.find(e.id())).contains(new IndexEntry(pack, e));
                        assertThat(index.contains(e.id())).isTrue();
                    }
                    assertThat(index.entriesOf(pack)).containsExactlyInAnyOrderElementsOf(entries);
                });
            }
            assertThat(index.packs()).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.Stream.concat(a.keySet().stream(), b.keySet().stream()).toList());
            List<PackEntry> visited = new ArrayList<>();
            index.forEachEntry((pack, e) -> visited.add(e));
            assertThat(visited).hasSize(3 * 50 + 2 * 10);
            assertThat(index.contains(blob())).isFalse();
            assertThat(index.find(blob())).isEmpty();
            assertThat(index.entriesOf(pack())).isEmpty();
        }
    }

    @Test
    void visitsTheEntriesOfOneTypeAsTheWholeVisitFilteredWould() throws Exception {
        Map<PackId, List<PackEntry>> a = file(6, 40);
        Map<PackId, List<PackEntry>> b = file(3, 5);
        for (boolean reopened : new boolean[] {false, true}) { // in the memtable, then in table files
            Path dir = tmp.resolve("typed-" + reopened);
            if (reopened) {
                try (RocksBlobIndex index = RocksBlobIndex.open(dir)) {
                    index.addIndexFile("aa", a);
                    index.addIndexFile("bb", b);
                }
            }
            try (RocksBlobIndex index = RocksBlobIndex.open(dir)) {
                if (!reopened) {
                    index.addIndexFile("aa", a);
                    index.addIndexFile("bb", b);
                }
                for (BlobType type : BlobType.values()) {
                    List<IndexEntry> all = new ArrayList<>();
                    index.forEachEntry((pack, e) -> {
                        if (e.type() == type) {
                            all.add(new IndexEntry(pack, e));
                        }
                    });
                    List<IndexEntry> typed = new ArrayList<>();
                    index.forEachEntry(type, (pack, e) -> typed.add(new IndexEntry(pack, e)));
                    assertThat(typed).containsExactlyInAnyOrderElementsOf(all);
                }
                List<IndexEntry> trees = new ArrayList<>();
                index.forEachEntry(BlobType.TREE, (pack, e) -> trees.add(new IndexEntry(pack, e)));
                assertThat(trees).hasSize(6 + 3); // the first entry of each pack
                // every id, read in place from the packs' entries, and nothing else
                BlobIdSet ids = new BlobIdSet(4);
                index.addIdsTo(ids);
                java.util.Set<BlobId> expected = new java.util.HashSet<>();
                index.forEachEntry((pack, e) -> expected.add(e.id()));
                assertThat(ids.size()).isEqualTo(expected.size());
                expected.forEach(id -> assertThat(ids.contains(id)).isTrue());
                assertThat(ids.contains(new BlobId(1, 2, 3, 4))).isFalse();
            }
        }
    }

    @Test
    void aWriterLeavesNoLogToReplayAndAReaderWritesNothing() throws Exception {
        Map<PackId, List<PackEntry>> a = file(5, 200);
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            index.addIndexFile("aa", a);
            index.recordComplete("snap");
        }
        // every family flushed at close: the next open has nothing to replay and no table file to write
        assertThat(logBytes()).isZero();
        Set<String> tables = tableFiles();
        for (int i = 0; i < 3; i++) {
            try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
                assertThat(index.isComplete("snap")).isTrue();
                assertThat(index.packs()).hasSize(5);
                assertThat(index.missing(a.values().iterator().next().stream().map(PackEntry::id).toList())).isEmpty();
            }
        }
        assertThat(tableFiles()).isEqualTo(tables);
        assertThat(logBytes()).isZero();
    }

    private long logBytes() throws Exception {
        try (var files = Files.list(tmp)) {
            return files.filter(f -> f.toString().endsWith(".log")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private Set<String> tableFiles() throws Exception {
        try (var files = Files.list(tmp)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".sst")).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void missingAnswersLikeContainsInTheCallersOrder() throws Exception {
        Map<PackId, List<PackEntry>> a = file(4, 30);
        List<BlobId> stored = a.values().stream().flatMap(List::stream).map(PackEntry::id).toList();
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            index.addIndexFile("aa", a);
            List<BlobId> ids = new ArrayList<>();
            for (int i = 0; i < stored.size(); i++) {
                ids.add(stored.get(i));
                if (i % 7 == 0) {
                    ids.add(blob()); // absent, and (almost surely) turned away by the filter
                }
                if (i % 11 == 0) {
                    BlobId s = stored.get(i); // absent, but the filter (which hashes the first two words) lets it through
                    ids.add(new BlobId(s.w0(), s.w1(), s.w2() + 1, s.w3()));
                }
            }
            ids.add(stored.getFirst()); // asked twice
            List<BlobId> expected = ids.stream().filter(id -> !index.contains(id)).toList();
            assertThat(expected).hasSizeGreaterThan(20);
            assertThat(index.missing(ids)).containsExactlyElementsOf(expected);
            assertThat(index.missing(List.of())).isEmpty();
            assertThat(index.missing(stored)).isEmpty();
        }
    }

    @Test
    void manyIdsAtOnceAreSweptInKeyOrderWithTheSameAnswer() throws Exception {
        Map<PackId, List<PackEntry>> a = file(50, 100);
        List<BlobId> stored = a.values().stream().flatMap(List::stream).map(PackEntry::id).toList();
        List<BlobId> sortedStored = stored.stream().sorted().toList();
        for (boolean reopened : new boolean[] {false, true}) { // in the memtable, then in table files
            Path dir = tmp.resolve("sweep-" + reopened);
            if (reopened) {
                try (RocksBlobIndex index = RocksBlobIndex.open(dir)) {
                    index.addIndexFile("aa", a);
                }
            }
            try (RocksBlobIndex index = RocksBlobIndex.open(dir)) {
                if (!reopened) {
                    index.addIndexFile("aa", a);
                }
                // Dense: every stored id, near misses next to them (the sweep steps), ids before the first and
                // after the last key, repeats, all shuffled.
                List<BlobId> dense = new ArrayList<>(stored);
                for (int i = 0; i < stored.size(); i += 3) {
                    BlobId s = stored.get(i);
                    dense.add(new BlobId(s.w0(), s.w1(), s.w2(), s.w3() + 1));
                    dense.add(blob());
                }
                dense.add(new BlobId(0, 0, 0, 0));
                dense.add(new BlobId(-1, -1, -1, -1));
                dense.add(stored.get(17));
                dense.add(dense.get(stored.size())); // an absent one twice
                java.util.Collections.shuffle(dense, new java.util.Random(7));
                // Sparse: every 40th stored id in key order, with absent ones between (the sweep seeks).
                List<BlobId> sparse = new ArrayList<>();
                for (int i = 0; i < sortedStored.size(); i += 40) {
                    BlobId s = sortedStored.get(i);
                    sparse.add(s);
                    sparse.add(new BlobId(s.w0(), s.w1(), s.w2() - 1, s.w3()));
                }
                while (sparse.size() < RocksBlobIndex.SWEEP_AT) {
                    sparse.add(blob());
                }
                for (List<BlobId> ids : List.of(dense, sparse, stored, sortedStored.subList(0, RocksBlobIndex.SWEEP_AT))) {
                    assertThat(ids).hasSizeGreaterThanOrEqualTo(RocksBlobIndex.SWEEP_AT);
                    List<BlobId> expected = ids.stream().filter(id -> !index.contains(id)).toList();
                    assertThat(index.missing(ids)).containsExactlyElementsOf(expected);
                }
                assertThat(dense.stream().filter(id -> !index.contains(id)).count()).isGreaterThan(3000);
                assertThat(index.missing(stored)).isEmpty();
            }
        }
    }

    @Test
    void sortsIdsInKeyOrder() {
        for (int n : new int[] {0, 1, 2, 3, 1000, 70_000}) {
            List<BlobId> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                BlobId b = blob();
                ids.add(b);
                if (i % 10 == 0) {
                    ids.add(b); // repeats
                    ids.add(new BlobId(b.w0(), b.w1() + 1, 0, 0)); // same leading word
                }
            }
            ids.add(new BlobId(0, 0, 0, 0));
            ids.add(new BlobId(-1, -1, -1, -1));
            ids.add(new BlobId(Long.MIN_VALUE, 0, 0, 0)); // unsigned order: after every id below 2^63
            List<BlobId> expected = ids.stream().sorted().toList();
            assertThat(RocksBlobIndex.sortedByKey(ids)).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void remembersCompleteSnapshotsUntilCleared() throws Exception {
        String s1 = "a".repeat(64);
        String s2 = "b".repeat(64);
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            index.addIndexFile("aa", file(1, 5));
            index.recordComplete(s1);
            assertThat(index.isComplete(s1)).isTrue();
            assertThat(index.isComplete(s2)).isFalse();
        }
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            assertThat(index.isComplete(s1)).isTrue();
            index.recordComplete(s2);
            index.clear(); // index files went: the entries those snapshots needed may have gone with them
            assertThat(index.isComplete(s1)).isFalse();
            assertThat(index.isComplete(s2)).isFalse();
            assertThat(index.indexFiles()).isEmpty();
        }
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            assertThat(index.isComplete(s1)).isFalse();
            assertThat(index.isComplete(s2)).isFalse();
        }
    }

    @Test
    void keepsConflictingEntriesForOnePackApart() throws Exception {
        PackId pack = pack();
        BlobId id = blob();
        PackEntry one = new PackEntry(BlobType.DATA, id, 0, 100, 100, Compression.NONE);
        PackEntry other = new PackEntry(BlobType.DATA, id, 100, 100, 100, Compression.NONE);
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            index.addIndexFile("aa", Map.of(pack, List.of(one)));
            index.addIndexFile("bb", Map.of(pack, List.of(one, other)));
            assertThat(index.entriesOf(pack)).containsExactlyInAnyOrder(one, other);
        }
    }

    @Test
    void aDamagedOrStaleFilterIsRebuiltFromTheDatabase() throws Exception {
        Map<PackId, List<PackEntry>> a = file(2, 100);
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            index.addIndexFile("aa", a);
        }
        Path bloom = tmp.resolve("blobs.bloom");
        assertThat(bloom).exists();
        byte[] bytes = Files.readAllBytes(bloom);
        java.util.Arrays.fill(bytes, 24, bytes.length, (byte) 0); // an empty filter would deny every blob
        Files.write(bloom, bytes);
        Files.write(bloom, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            a.values().forEach(list -> list.forEach(e -> assertThat(index.contains(e.id())).isTrue()));
        }
        Files.delete(bloom);
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            a.values().forEach(list -> list.forEach(e -> assertThat(index.contains(e.id())).isTrue()));
        }
    }

    @Test
    void clearForgetsEverything() throws Exception {
        Map<PackId, List<PackEntry>> a = file(2, 5);
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            index.addIndexFile("aa", a);
            index.clear();
            assertThat(index.indexFiles()).isEmpty();
            assertThat(index.packs()).isEmpty();
            a.values().forEach(list -> list.forEach(e -> assertThat(index.contains(e.id())).isFalse()));
        }
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            assertThat(index.indexFiles()).isEmpty();
        }
    }

    @Test
    void aClosedIndexRefusesCallsInsteadOfTouchingFreedMemory() throws Exception {
        RocksBlobIndex index = RocksBlobIndex.open(tmp);
        index.addIndexFile("aa", file(1, 3));
        index.close();
        index.close(); // twice is fine
        assertThatThrownBy(() -> index.contains(blob())).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> index.addIndexFile("bb", file(1, 1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSecondOpenerIsToldTheCacheIsBusy() throws Exception {
        try (RocksBlobIndex index = RocksBlobIndex.open(tmp)) {
            assertThatThrownBy(() -> RocksBlobIndex.open(tmp)).isInstanceOf(RocksBlobIndex.BusyException.class);
        }
        try (RocksBlobIndex again = RocksBlobIndex.open(tmp)) {
            assertThat(again.indexFiles()).isEmpty();
        }
    }
}
