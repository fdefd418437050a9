package dev.kiln.core.repo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.backup.Archiver;
import dev.kiln.core.backup.BackupOptions;
import dev.kiln.core.backup.BackupResult;
import dev.kiln.core.check.CheckOptions;
import dev.kiln.core.check.Checker;
import dev.kiln.core.check.IndexRepairer;
import dev.kiln.core.restore.RestoreOptions;
import dev.kiln.core.restore.Restorer;
import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.MemoryBlobStore;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.store.wrap.ForwardingBlobStore;
import dev.kiln.core.testing.TestRepositories;
import dev.kiln.core.testing.TestTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB index cache follows the repository's index files, and losing it loses nothing. */
class IndexCacheTest {
    private static final byte[] PASSWORD = "pw".getBytes();
    @TempDir
    Path tmp;
    private final MemoryBlobStore memory = new MemoryBlobStore();
    private final AtomicInteger indexReads = new AtomicInteger();
    private final BlobStore store = new ForwardingBlobStore(memory) {
        @Override
        public byte[] get(ObjectKey key) throws IOException {
            if (key.kind() == ObjectKind.INDEX) {
                indexReads.incrementAndGet();
            }
            return super.get(key);
        }
    };

    private Repository open() throws IOException {
        return Repository.open(store, PASSWORD, Clock.systemUTC(), CacheOptions.at(tmp.resolve("cache"), false));
    }

    private BackupResult backup(Repository repo, Path dir) throws IOException {
        return new Archiver(repo, new BackupOptions(List.of(dir), "host", "user", List.of(), List.of(),
                Archiver.findParent(repo, "host", List.of(dir)), 2), w -> { }).run();
    }

    private void restoreAndCompare(Repository repo, Path src, String into) throws IOException {
        Path out = tmp.resolve(into);
        var result = new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 2)).run(repo.findSnapshot("latest"));
        assertThat(result.errors()).isEmpty();
        TestTrees.assertSameTree(src, out.resolve(src.toString().substring(1)));
    }

    @Test
    void opensReadOnlyIndexFilesItHasNotSeen() throws Exception {
        Path a = TestTrees.sample(tmp.resolve("a"), 1);
        Path b = TestTrees.sample(tmp.resolve("b"), 2);
        Repository.init(store, PASSWORD, TestRepositories.small(), Clock.systemUTC(), "host", "user").close();
        try (Repository repo = open()) {
            backup(repo, a);
        }
        int files = memory.list(ObjectKind.INDEX).size();
        assertThat(files).isPositive();

        indexReads.set(0);
        try (Repository repo = open()) {
            assertThat(indexReads.get()).as("index files read when nothing changed").isZero();
            assertThat(repo.indexFiles()).hasSize(files);
            BackupResult again = backup(repo, a);
            assertThat(again.snapshot().summary().blobsAdded()).isLessThanOrEqualTo(1);
        }

        // Another machine (no cache) adds a snapshot: this machine reads only its new index files.
        try (Repository other = Repository.open(store, PASSWORD, Clock.systemUTC())) {
            backup(other, b);
        }
        int added = memory.list(ObjectKind.INDEX).size() - files;
        indexReads.set(0);
        try (Repository repo = open()) {
            assertThat(indexReads.get()).isEqualTo(added);
            restoreAndCompare(repo, b, "out-b");
            assertThat(new Checker(repo, new CheckOptions(new dev.kiln.core.check.ReadSelection.All(), java.util.Optional.empty(), 2)).run().findings()).isEmpty();
        }
    }

    /** With the cache, check looks up many blobs at once by sweeping the index in key order (2,000 here). */
    @Test
    void checkFindsTheSameMissingBlobsWithTheCacheAsWithout() throws Exception {
        Path many = tmp.resolve("many");
        Files.createDirectories(many);
        java.util.SplittableRandom random = new java.util.SplittableRandom(9);
        for (int i = 0; i < 2000; i++) {
            Files.write(many.resolve("f" + i), TestTrees.random(random, 100 + random.nextInt(900)));
        }
        Repository.init(store, PASSWORD, TestRepositories.small().withPackSize(64 * 1024), Clock.systemUTC(), "host", "user").close();
        try (Repository repo = open()) {
            backup(repo, many);
        }
        // A data pack is lost and the index rebuilt from the packs left: its blobs are in no index any more.
        dev.kiln.core.id.PackId lost;
        try (Repository repo = Repository.open(store, PASSWORD, Clock.systemUTC())) {
            var index = repo.index();
            lost = index.packs().stream().filter(p -> index.entriesOf(p).getFirst().type() == dev.kiln.core.pack.BlobType.DATA)
                    .findFirst().orElseThrow();
            memory.delete(ObjectKey.of(ObjectKind.PACK, lost.hex()));
            new IndexRepairer(repo).run();
        }
        CheckOptions options = new CheckOptions(new dev.kiln.core.check.ReadSelection.None(), java.util.Optional.empty(), 2);
        List<String> withCache;
        try (Repository repo = open()) {
            withCache = missingFiles(new Checker(repo, options).run());
        }
        List<String> inHeap;
        try (Repository repo = Repository.open(store, PASSWORD, Clock.systemUTC())) {
            inHeap = missingFiles(new Checker(repo, options).run());
        }
        assertThat(withCache).isNotEmpty().hasSizeLessThan(2000).containsExactlyInAnyOrderElementsOf(inHeap)
                .allMatch(path -> path.startsWith(many.toString()));
    }

    private static List<String> missingFiles(dev.kiln.core.check.CheckReport report) {
        return report.findings().stream()
                .filter(f -> f instanceof dev.kiln.core.check.Finding.BlobMissing)
                .flatMap(f -> f.affected().stream())
                .map(dev.kiln.core.check.Affected::path)
                .toList();
    }

    @Test
    void followsRemovedIndexFilesAndSurvivesLosingTheCache() throws Exception {
        Path a = TestTrees.sample(tmp.resolve("a"), 3);
        Repository.init(store, PASSWORD, TestRepositories.small(), Clock.systemUTC(), "host", "user").close();
        try (Repository repo = open()) {
            backup(repo, a);
        }
        // repair index replaces every index file by new ones: the cache must start over, not keep stale names
        try (Repository repo = Repository.open(store, PASSWORD, Clock.systemUTC())) {
            new IndexRepairer(repo).run();
        }
        try (Repository repo = open()) {
            assertThat(repo.indexFiles()).containsExactlyInAnyOrderElementsOf(
                    memory.list(ObjectKind.INDEX).stream().map(i -> i.key().name()).toList());
            restoreAndCompare(repo, a, "out-1");
        }
        try (var walk = Files.walk(tmp.resolve("cache"))) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (Repository repo = open()) {
            restoreAndCompare(repo, a, "out-2");
        }
    }

    @Test
    void unchangedFilesAreReadAgainOnceTheirBlobsLeftTheIndex() throws Exception {
        Path a = TestTrees.sample(tmp.resolve("a"), 5);
        Repository.init(store, PASSWORD, TestRepositories.small(), Clock.systemUTC(), "host", "user").close();
        String first;
        try (Repository repo = open()) {
            first = backup(repo, a).snapshotId();
            assertThat(repo.index().isComplete(first)).isTrue();
            BackupResult again = backup(repo, a); // trusts its parent: nothing read, nothing looked up
            assertThat(again.snapshot().summary().bytesRead()).isZero();
            assertThat(again.snapshot().summary().filesUnchanged()).isPositive();
            assertThat(repo.index().isComplete(again.snapshotId())).isTrue();
        }
        // A data pack vanishes and the index files are rebuilt from the packs left (a prune or repair on another
        // host): the snapshots' blobs are no longer all in the index, and the cache must not trust them.
        try (Repository repo = Repository.open(store, PASSWORD, Clock.systemUTC())) {
            dev.kiln.core.id.PackId dataPack = repo.index().packs().stream()
                    .filter(p -> repo.index().entriesOf(p).stream().allMatch(e -> e.type() == dev.kiln.core.pack.BlobType.DATA))
                    .findFirst().orElseThrow();
            memory.delete(ObjectKey.of(ObjectKind.PACK, dataPack.hex()));
            new IndexRepairer(repo).run();
        }
        try (Repository repo = open()) {
            assertThat(repo.index().isComplete(first)).isFalse();
            BackupResult healed = backup(repo, a);
            assertThat(healed.snapshot().summary().bytesRead()).isPositive();
            assertThat(healed.snapshot().summary().blobsAdded()).isPositive();
            restoreAndCompare(repo, a, "out");
        }
    }

    @Test
    void aSecondProcessOnTheSameCacheWorksFromATemporaryIndex() throws Exception {
        Path a = TestTrees.sample(tmp.resolve("a"), 4);
        Repository.init(store, PASSWORD, TestRepositories.small(), Clock.systemUTC(), "host", "user").close();
        try (Repository first = open(); Repository second = open()) {
            assertThat(first.cacheWarnings()).isEmpty();
            assertThat(second.cacheWarnings()).singleElement().asString().contains("in use by another process");
            backup(second, a);
            restoreAndCompare(second, a, "out");
        }
        try (var s = Files.list(tmp.resolve("cache"))) {
            List<String> left = new ArrayList<>(s.map(p -> p.getFileName().toString()).toList());
            assertThat(left).noneMatch(n -> n.startsWith("index-"));
        }
    }

    @Test
    void blobsOfAnUnindexedPackAreNotRememberedAcrossRuns() throws Exception {
        // A run that stored packs but died before writing their index file must not leave the cache claiming them.
        Repository.init(store, PASSWORD, TestRepositories.small(), Clock.systemUTC(), "host", "user").close();
        dev.kiln.core.id.BlobId id;
        try (Repository repo = open()) {
            BlobSaver saver = repo.newSaver();
            byte[] data = "only in a pack".getBytes();
            id = repo.newIdentifier().identify(data);
            saver.save(dev.kiln.core.pack.BlobType.DATA, id, data, 0, data.length);
            assertThat(saver.isKnown(id)).isTrue();
            saver.close(); // no flush: the pack (if any) has no index file
        }
        try (Repository repo = open()) {
            assertThat(repo.hasBlob(id)).isFalse();
        }
    }
}
