package dev.kiln.stores.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.backup.Archiver;
import dev.kiln.core.backup.BackupOptions;
import dev.kiln.core.backup.BackupResult;
import dev.kiln.core.check.CheckOptions;
import dev.kiln.core.check.CheckReport;
import dev.kiln.core.check.Checker;
import dev.kiln.core.check.Finding;
import dev.kiln.core.check.ReadSelection;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.restore.RestoreOptions;
import dev.kiln.core.restore.Restorer;
import dev.kiln.core.store.FaultyBlobStore;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.store.wrap.RequestStats;
import dev.kiln.core.store.wrap.RetryingBlobStore;
import dev.kiln.core.testing.TestRepositories;
import dev.kiln.core.testing.TestTrees;
import dev.kiln.stores.OpenedStore;
import dev.kiln.stores.StoreOptions;
import dev.kiln.stores.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup, restore and check through the whole store stack on S3Proxy, with and without faults. */
class S3RepositoryTest {
    private static final byte[] PW = "pw".getBytes();
    static final RetryingBlobStore.Policy FAST = new RetryingBlobStore.Policy(Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofSeconds(60));
    @TempDir
    static Path serverDir;
    static S3ProxyServer server;
    static final AtomicInteger buckets = new AtomicInteger();
    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        server = new S3ProxyServer(serverDir.resolve("s3"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String newLocation() {
        return server.createBucket("repo" + buckets.incrementAndGet(), "kiln");
    }

    private static StoreOptions options(List<String> retries) {
        return StoreOptions.defaults().withS3(S3ProxyServer.options()).withRetries(FAST, m -> {
            synchronized (retries) {
                retries.add(m);
            }
        });
    }

    private BackupResult backup(Repository repo, Path src) throws IOException {
        return new Archiver(repo, new BackupOptions(List.of(src), "h", "u", List.of(), List.of(),
                Archiver.findParent(repo, "h", List.of(src)), 4), w -> { }).run();
    }

    private void restoreAndCompare(Repository repo, String snapshot, Path expected, Path out) throws IOException {
        var r = new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 4)).run(repo.findSnapshot(snapshot));
        assertThat(r.errors()).isEmpty();
        TestTrees.assertSameTree(expected, out.resolve(expected.toString().substring(1)));
    }

    @Test
    void backupRestoreAndCheckSurviveTwentyPercentFailures() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 61);
        String location = newLocation();
        List<String> retries = new ArrayList<>();
        AtomicReference<FaultyBlobStore> faulty = new AtomicReference<>();
        StoreOptions opts = options(retries).withUnderRetries(s -> {
            FaultyBlobStore f = new FaultyBlobStore(s, 7);
            f.when(FaultyBlobStore.Op.values()).probability(0.2).failTransiently()
                    .when(FaultyBlobStore.Op.GET).probability(0.1).truncate()
                    .when(FaultyBlobStore.Op.PUT).probability(0.05).landThenFail()
                    .when(FaultyBlobStore.Op.GET, FaultyBlobStore.Op.PUT).probability(0.05).delay(Duration.ofMillis(30));
            faulty.set(f);
            return f;
        });
        try (OpenedStore store = Stores.open(location, opts)) {
            try (Repository repo = Repository.init(store.store(), PW, TestRepositories.small(), Clock.systemUTC(), "h", "u")) {
                backup(repo, src);
            }
            try (Repository repo = Repository.open(store.store(), PW, Clock.systemUTC(), dev.kiln.core.repo.CacheOptions.at(tmp.resolve("cache"), true))) {
                restoreAndCompare(repo, "latest", src, tmp.resolve("out"));
                CheckReport report = new Checker(repo, new CheckOptions(new ReadSelection.All(), Optional.empty(), 4)).run();
                assertThat(report.findings()).filteredOn(Finding::isError).isEmpty();
            }
        }
        assertThat(faulty.get().injected()).isGreaterThanOrEqualTo(5);
        assertThat(retries).isNotEmpty().allMatch(m -> m.contains("retry"));
    }

    @Test
    void permanentFailureMidBackupFailsClearlyAndEarlierSnapshotsStillRestore() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 62);
        String location = newLocation();
        AtomicReference<FaultyBlobStore> faulty = new AtomicReference<>();
        StoreOptions opts = options(new ArrayList<>()).withUnderRetries(s -> {
            FaultyBlobStore f = new FaultyBlobStore(s, 8);
            faulty.set(f);
            return f;
        });
        try (OpenedStore store = Stores.open(location, opts)) {
            try (Repository repo = Repository.init(store.store(), PW, TestRepositories.small(), Clock.systemUTC(), "h", "u")) {
                backup(repo, src);
                Files.write(src.resolve("more.bin"), TestTrees.random(new java.util.SplittableRandom(1), 3_000_000));
                faulty.get().when(FaultyBlobStore.Op.PUT).kinds(ObjectKind.PACK).failPermanently("put pack: S3 403 AccessDenied");
                assertThatThrownBy(() -> backup(repo, src)).isInstanceOf(IOException.class).hasMessageContaining("403 AccessDenied");
            }
            faulty.get().heal();
            assertThat(store.store().list(ObjectKind.SNAPSHOT)).hasSize(1);
            try (Repository repo = Repository.open(store.store(), PW, Clock.systemUTC())) {
                Path out = tmp.resolve("out");
                var r = new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 4)).run(repo.findSnapshot("latest"));
                assertThat(r.errors()).isEmpty();
                assertThat(out.resolve(src.toString().substring(1)).resolve("src/random.bin")).hasSameBinaryContentAs(src.resolve("src/random.bin"));
                assertThat(new Checker(repo, new CheckOptions(new ReadSelection.All(), Optional.empty(), 2)).run().clean()).isTrue();
            }
        }
    }

    @Test
    void unchangedNightlyBackupCostsAHandfulOfRequests() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 63);
        for (int d = 0; d < 40; d++) { // many directories: many trees to compare against
            Files.createDirectories(src.resolve("dirs/d" + d));
            Files.writeString(src.resolve("dirs/d" + d + "/f.txt"), "file " + d);
        }
        String location = newLocation();
        Path cache = tmp.resolve("cache");
        try (OpenedStore store = Stores.open(location, options(new ArrayList<>()))) {
            try (Repository repo = Repository.init(store.store(), PW, TestRepositories.small(), Clock.systemUTC(), "h", "u")) {
                backup(repo, src);
            }
        }
        // first run after init fills the cache; the nightly one after that is what we count
        for (int night = 0; night < 2; night++) {
            try (OpenedStore store = Stores.open(location, options(new ArrayList<>()))) {
                try (Repository repo = Repository.open(store.store(), PW, Clock.systemUTC(), dev.kiln.core.repo.CacheOptions.at(cache, true));
                     var lock = repo.lock(false, "h", "u")) {
                    BackupResult r = backup(repo, src);
                    assertThat(r.snapshot().summary().bytesRead()).isZero();
                }
                RequestStats.Snapshot s = store.stats().snapshot();
                if (night == 1) {
                    assertThat(s.total()).as(s.toString()).isLessThanOrEqualTo(15);
                    assertThat(s.put()).isLessThanOrEqualTo(2); // the lock and the snapshot
                }
            }
        }
    }

    @Test
    void checkOnS3NamesTheFilesOfADamagedPack() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 64);
        String location = newLocation();
        try (OpenedStore store = Stores.open(location, options(new ArrayList<>()))) {
            try (Repository repo = Repository.init(store.store(), PW, TestRepositories.small(), Clock.systemUTC(), "h", "u")) {
                backup(repo, src);
            }
            var pack = store.store().list(ObjectKind.PACK).stream().max(java.util.Comparator.comparingLong(dev.kiln.core.store.ObjectInfo::size)).orElseThrow();
            byte[] b = store.store().get(pack.key());
            b[b.length / 4] ^= 4;
            store.store().put(pack.key(), b);
            try (Repository repo = Repository.open(store.store(), PW, Clock.systemUTC())) {
                CheckReport report = new Checker(repo, new CheckOptions(new ReadSelection.All(), Optional.empty(), 4)).run();
                assertThat(report.clean()).isFalse();
                assertThat(report.findings().stream().flatMap(f -> f.affected().stream()))
                        .anyMatch(a -> a.path().startsWith(src.toString()));
            }
        }
    }
}
