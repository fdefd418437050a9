package dev.kiln.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.crypto.WrongPasswordException;
import dev.kiln.core.id.HashAlgorithm;
import dev.kiln.core.repo.InitOptions;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.RepositoryExistsException;
import dev.kiln.core.repo.RepositoryLockedException;
import dev.kiln.core.repo.RepositoryLock;
import dev.kiln.core.repo.SnapshotRef;
import dev.kiln.core.restore.RestoreOptions;
import dev.kiln.core.restore.RestoreResult;
import dev.kiln.core.restore.Restorer;
import dev.kiln.core.store.MemoryBlobStore;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.testing.TestRepositories;
import dev.kiln.core.testing.TestTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackupRestoreTest {
    private static final byte[] PASSWORD = "correct horse".getBytes();
    @TempDir
    Path tmp;
    private final MemoryBlobStore store = new MemoryBlobStore();

    private Repository init(InitOptions options) throws Exception {
        return Repository.init(store, PASSWORD, options, Clock.systemUTC(), "host", "user");
    }

    private BackupResult backup(Repository repo, Path dir, List<String> excludes, List<String> warnings) throws Exception {
        Optional<SnapshotRef> parent = Archiver.findParent(repo, "host", List.of(dir));
        return new Archiver(repo, new BackupOptions(List.of(dir), "host", "user", List.of("t"), excludes, parent, 2),
                warnings::add).run();
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void restoreReproducesTheTree(HashAlgorithm hash) throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 1);
        try (Repository repo = init(TestRepositories.small().withHash(hash))) {
            List<String> warnings = new ArrayList<>();
            BackupResult r = backup(repo, src, List.of(), warnings);
            assertThat(warnings).isEmpty();
            assertThat(r.snapshot().summary().filesNew()).isEqualTo(7);
            assertThat(store.list(ObjectKind.PACK)).hasSizeGreaterThan(2);
        }
        try (Repository repo = Repository.open(store, PASSWORD, Clock.systemUTC())) {
            SnapshotRef latest = repo.findSnapshot("latest");
            RestoreResult rr = new Restorer(repo, new RestoreOptions(tmp.resolve("out"), List.of(), List.of(), 2)).run(latest);
            assertThat(rr.errors()).isEmpty();
            TestTrees.assertSameTree(src, tmp.resolve("out").resolve(src.toString().substring(1)));
        }
    }

    @Test
    void manyLargeFilesInManyDirectoriesAreReadWhole() throws Exception {
        // more large files (over one maximum chunk) than walkers and read buffers, spread so that walkers meet them at once
        Path src = tmp.resolve("src");
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        int files = 0;
        for (int d = 0; d < Archiver.WALK_THREADS + 2; d++) {
            for (int f = 0; f < 2; f++) {
                byte[] data = new byte[600_000 + r.nextInt(400_000)];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (i % 4096 < 2048 ? r.nextInt(256) : d + f);
                }
                Files.write(Files.createDirectories(src.resolve("d" + d)).resolve("f" + f), data);
                files++;
            }
        }
        try (Repository repo = init(TestRepositories.small())) {
            List<String> warnings = new ArrayList<>();
            BackupResult result = backup(repo, src, List.of(), warnings);
            assertThat(warnings).isEmpty();
            assertThat(result.snapshot().summary().filesNew()).isEqualTo(files);
            RestoreResult rr = new Restorer(repo, new RestoreOptions(tmp.resolve("out"), List.of(), List.of(), 2))
                    .run(repo.findSnapshot("latest"));
            assertThat(rr.errors()).isEmpty();
            TestTrees.assertSameTree(src, tmp.resolve("out").resolve(src.toString().substring(1)));
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aChunkerMaximumAboveTheInFlightBudgetDoesNotHangTheBackup() throws Exception {
        // A file of one chunk larger than the budget of bytes in flight once waited forever for permits that could
        // never all be free (kiln init --chunk-sizes allows a maximum of 64 MiB; the budget is 32 MiB).
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.write(src.resolve("big"), TestTrees.random(new java.util.SplittableRandom(3), Archiver.IN_FLIGHT_BYTES + 1024 * 1024));
        Files.write(src.resolve("small"), TestTrees.random(new java.util.SplittableRandom(4), 100_000));
        InitOptions options = TestRepositories.small().withChunker(
                new dev.kiln.core.chunk.ChunkerParams(1024 * 1024, 16 * 1024 * 1024, 64 * 1024 * 1024));
        try (Repository repo = init(options)) {
            List<String> warnings = new ArrayList<>();
            BackupResult result = backup(repo, src, List.of(), warnings);
            assertThat(warnings).isEmpty();
            assertThat(result.snapshot().summary().filesNew()).isEqualTo(2);
            RestoreResult rr = new Restorer(repo, new RestoreOptions(tmp.resolve("out"), List.of(), List.of(), 2))
                    .run(repo.findSnapshot("latest"));
            assertThat(rr.errors()).isEmpty();
            TestTrees.assertSameTree(src, tmp.resolve("out").resolve(src.toString().substring(1)));
        }
    }

    @Test
    void secondBackupAddsNothingAndReadsNothing() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 2);
        try (Repository repo = init(TestRepositories.small())) {
            BackupResult first = backup(repo, src, List.of(), new ArrayList<>());
            long packs = store.list(ObjectKind.PACK).size();
            BackupResult second = backup(repo, src, List.of(), new ArrayList<>());
            assertThat(second.snapshot().summary().bytesRead()).isZero();
            assertThat(second.snapshot().summary().filesUnchanged()).isEqualTo(7);
            assertThat(second.snapshot().summary().blobsAdded()).isZero();
            assertThat(second.treesReused()).as("every directory's tree comes from the parent")
                    .isEqualTo(second.snapshot().summary().dirs() + src.getNameCount());
            assertThat(second.snapshot().tree()).isEqualTo(first.snapshot().tree());
            assertThat(store.list(ObjectKind.PACK)).hasSize((int) packs);
            assertThat(second.snapshot().parent()).isNotNull();
        }
    }

    @Test
    void changedAndDuplicatedContentIsStoredOnce() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 3);
        try (Repository repo = init(TestRepositories.small())) {
            BackupResult first = backup(repo, src, List.of(), new ArrayList<>());
            // copy1.bin and copy2.bin hold the same 700 kB: stored once
            assertThat(first.snapshot().summary().bytesAdded()).isLessThan(first.snapshot().summary().bytesTotal() - 600_000);
            Files.write(src.resolve("copy3.bin"), Files.readAllBytes(src.resolve("copy1.bin")));
            Files.writeString(src.resolve("script.sh"), "#!/bin/sh\necho changed\n");
            BackupResult second = backup(repo, src, List.of(), new ArrayList<>());
            var s = second.snapshot().summary();
            assertThat(s.filesNew()).isEqualTo(1);
            assertThat(s.filesChanged()).isEqualTo(1);
            assertThat(s.filesUnchanged()).isEqualTo(6);
            assertThat(s.bytesAdded()).isLessThan(10_000); // the copy deduplicates; only the script and trees are new
        }
    }

    @Test
    void excludesAndIncludesSelectFiles() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 4);
        try (Repository repo = init(TestRepositories.small())) {
            backup(repo, src, List.of("*.bin", src + "/deep/a/b"), new ArrayList<>());
            SnapshotRef s = repo.findSnapshot("latest");
            Path out = tmp.resolve("out");
            new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 2)).run(s);
            Path restored = out.resolve(src.toString().substring(1));
            assertThat(restored.resolve("src/random.bin")).doesNotExist();
            assertThat(restored.resolve("deep/a")).isDirectory();
            assertThat(restored.resolve("deep/a/b")).doesNotExist();
            assertThat(restored.resolve("src/main/java/Text.java")).exists();

            Path out2 = tmp.resolve("out2");
            new Restorer(repo, new RestoreOptions(out2, List.of(src + "/src/**"), List.of("*.java"), 2)).run(s);
            Path r2 = out2.resolve(src.toString().substring(1));
            assertThat(r2.resolve("src/main/java")).isDirectory();
            assertThat(r2.resolve("src/main/java/Text.java")).doesNotExist();
            assertThat(r2.resolve("script.sh")).doesNotExist();
        }
    }

    @Test
    void wrongPasswordAndExistingRepositoryAreRefused() throws Exception {
        init(TestRepositories.small()).close();
        assertThatThrownBy(() -> Repository.open(store, "nope".getBytes(), Clock.systemUTC())).isInstanceOf(WrongPasswordException.class);
        assertThatThrownBy(() -> init(TestRepositories.small())).isInstanceOf(RepositoryExistsException.class);
        assertThat(store.list(ObjectKind.KEY)).hasSize(1);
    }

    @Test
    void sharedLocksCoexistAndExclusiveOnesDoNot() throws Exception {
        try (Repository repo = init(TestRepositories.small())) {
            try (RepositoryLock a = repo.lock(false, "h", "u"); RepositoryLock b = repo.lock(false, "h", "u")) {
                assertThat(store.list(ObjectKind.LOCK)).hasSize(2);
                assertThatThrownBy(() -> repo.lock(true, "h", "u")).isInstanceOf(RepositoryLockedException.class);
            }
            assertThat(store.list(ObjectKind.LOCK)).isEmpty();
            try (RepositoryLock x = repo.lock(true, "h", "u")) {
                assertThatThrownBy(() -> repo.lock(false, "h", "u")).isInstanceOf(RepositoryLockedException.class);
            }
        }
    }

    @Test
    void storeHoldsNoPlaintextNamesOrContent() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 5);
        Files.writeString(src.resolve("secret-name-7f3a.txt"), "PLAINTEXT-MARKER-91c2 ".repeat(1000));
        try (Repository repo = init(TestRepositories.small())) {
            backup(repo, src, List.of(), new ArrayList<>());
        }
        for (ObjectKind kind : ObjectKind.values()) {
            if (kind == ObjectKind.KEY) {
                continue; // JSON with the wrapped key; checked to hold no names below anyway
            }
            for (var info : store.list(kind)) {
                String s = new String(store.get(info.key()), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(s).doesNotContain("secret-name-7f3a", "PLAINTEXT-MARKER", "Text.java", "line 1 of some");
            }
        }
    }
}
