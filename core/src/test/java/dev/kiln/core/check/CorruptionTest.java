package dev.kiln.core.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.backup.Archiver;
import dev.kiln.core.backup.BackupOptions;
import dev.kiln.core.crypto.IntegrityException;
import dev.kiln.core.id.PackId;
import dev.kiln.core.pack.BlobType;
import dev.kiln.core.pack.PackEntry;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.RepositoryNotFoundException;
import dev.kiln.core.restore.RestoreOptions;
import dev.kiln.core.restore.RestoreResult;
import dev.kiln.core.restore.Restorer;
import dev.kiln.core.store.MemoryBlobStore;
import dev.kiln.core.store.ObjectInfo;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.testing.TestRepositories;
import dev.kiln.core.testing.TestTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Damage to each kind of repository object: check finds it and names what it takes away; restore copes. */
class CorruptionTest {
    private static final byte[] PW = "pw".getBytes();
    @TempDir
    Path tmp;
    private MemoryBlobStore store;
    private Path src;

    enum Damage { FLIP, TRUNCATE, DELETE }

    @BeforeEach
    void backup() throws Exception {
        store = new MemoryBlobStore();
        src = TestTrees.sample(tmp.resolve("src"), 41);
        try (Repository repo = Repository.init(store, PW, TestRepositories.small().withPackSize(256 * 1024), Clock.systemUTC(), "h", "u")) {
            backupOnce(repo);
            Files.writeString(src.resolve("second.txt"), "only in the second snapshot\n");
            backupOnce(repo);
        }
    }

    private void backupOnce(Repository repo) throws Exception {
        new Archiver(repo, new BackupOptions(List.of(src), "h", "u", List.of(), List.of(),
                Archiver.findParent(repo, "h", List.of(src)), 2), w -> { }).run();
    }

    private Repository open() throws Exception {
        return Repository.open(store, PW, Clock.systemUTC());
    }

    private CheckReport check(ReadSelection read) throws Exception {
        try (Repository repo = open()) {
            return new Checker(repo, new CheckOptions(read, Optional.of(java.time.Duration.ofDays(30)), 2)).run();
        }
    }

    private void damage(ObjectKey key, Damage how) throws Exception {
        byte[] b = store.get(key);
        switch (how) {
            case FLIP -> {
                b[b.length / 3] ^= 0x10;
                store.put(key, b);
            }
            case TRUNCATE -> store.put(key, Arrays.copyOf(b, b.length / 2));
            case DELETE -> store.delete(key);
        }
    }

    /** The largest pack of the given type (for data: one of the first backup, so both snapshots use it). */
    private ObjectKey pack(BlobType type) throws Exception {
        try (Repository repo = open()) {
            var index = repo.index();
            return index.packs().stream()
                    .filter(p -> index.entriesOf(p).getFirst().type() == type)
                    .max(java.util.Comparator.comparingInt((PackId p) -> index.entriesOf(p).stream().mapToInt(PackEntry::length).sum()))
                    .map(p -> ObjectKey.of(ObjectKind.PACK, p.hex()))
                    .orElseThrow(() -> new AssertionError("no " + type + " pack"));
        }
    }

    private static List<Affected> affected(CheckReport r) {
        return r.findings().stream().flatMap(f -> f.affected().stream()).toList();
    }

    @Test
    void cleanRepositoryIsClean() throws Exception {
        CheckReport r = check(new ReadSelection.All());
        assertThat(r.findings()).isEmpty();
        assertThat(r.clean()).isTrue();
        assertThat(r.snapshots()).isEqualTo(2);
        assertThat(r.packsRead()).isEqualTo(r.packs());
        assertThat(r.coverage()).isEqualTo(1.0);
    }

    /** The header of a pack read whole is compared with the index as it is read; of the others, by its tail. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void anIndexEntryThePackHeaderLacksIsReportedOnce(boolean readData) throws Exception {
        PackId pack = PackId.parse(pack(BlobType.DATA).name());
        dev.kiln.core.id.BlobId stray = new dev.kiln.core.id.BlobId(1, 2, 3, 4);
        try (Repository repo = open()) {
            PackEntry real = repo.index().entriesOf(pack).getFirst();
            PackEntry claimed = new PackEntry(BlobType.DATA, stray, real.offset(), real.length(), real.rawLength(), real.compression());
            byte[] sealed = new dev.kiln.core.index.IndexFile(Map.of(pack, List.of(claimed))).seal(repo.metadataAead());
            store.put(ObjectKey.of(ObjectKind.INDEX, Repository.sha256Hex(sealed)), sealed);
        }
        CheckReport r = check(readData ? new ReadSelection.All() : new ReadSelection.None());
        assertThat(r.findings()).filteredOn(f -> f instanceof Finding.IndexDisagrees).singleElement()
                .satisfies(f -> assertThat(f.message()).isEqualTo("pack " + pack
                        + ": 1 index entries are not in the pack header, 0 header entries are in no index file"));
        assertThat(r.findings()).filteredOn(f -> f instanceof Finding.PackDamaged).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("does not list blobs the index places in it"));
        assertThat(affected(r)).isEmpty(); // no file has the stray blob
        assertThat(r.packsRead()).isEqualTo(readData ? r.packs() : 0);
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void damagedDataPackIsFoundAndNamesFiles(Damage how) throws Exception {
        ObjectKey pack = pack(BlobType.DATA);
        damage(pack, how);
        CheckReport r = check(how == Damage.FLIP ? new ReadSelection.All() : new ReadSelection.None());
        assertThat(r.clean()).isFalse();
        assertThat(affected(r)).isNotEmpty().allSatisfy(a -> {
            assertThat(a.path()).startsWith(src.toString());
            assertThat(a.bytes()).isPositive();
        });
        assertThat(affected(r).stream().map(Affected::snapshot).distinct()).hasSize(2);
        if (how == Damage.FLIP) {
            assertThat(r.packsRead()).isEqualTo(r.packs()); // the damaged one was read twice, and counts once
        }

        // restore: every undamaged file, the damaged ones named and absent, non-zero errors
        try (Repository repo = open()) {
            Path out = tmp.resolve("out-" + how);
            RestoreResult rr = new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 2)).run(repo.findSnapshot("latest"));
            assertThat(rr.errors()).isNotEmpty();
            List<String> damagedPaths = affected(r).stream().map(Affected::path).distinct().toList();
            for (String p : damagedPaths) {
                assertThat(rr.errors()).anyMatch(e -> e.contains(p));
                assertThat(out.resolve(p.substring(1))).doesNotExist();
            }
            try (var files = Files.walk(src)) {
                for (Path f : files.filter(x -> Files.isRegularFile(x, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                    if (!damagedPaths.contains(f.toString())) {
                        assertThat(out.resolve(f.toString().substring(1))).hasSameBinaryContentAs(f);
                    }
                }
            }
        }
    }

    /** The structure walk runs beside the read-back; what it finds there must be reported as when it ran after. */
    @Test
    void missingIndexFoundByTheWalkBesideACleanReadBack() throws Exception {
        store.delete(store.list(ObjectKind.INDEX).getFirst().key());
        CheckReport withRead = check(new ReadSelection.All()); // the packs it named are unreferenced: nothing to read-fail
        CheckReport without = check(new ReadSelection.None());
        assertThat(withRead.clean()).isFalse();
        assertThat(described(withRead)).containsExactlyElementsOf(described(without));
        assertThat(affected(withRead)).isNotEmpty();
    }

    @Test
    void treesInNoIndexFileAreSaidToBe() throws Exception {
        for (ObjectInfo index : store.list(ObjectKind.INDEX)) {
            store.delete(index.key());
        }
        CheckReport r = check(new ReadSelection.None());
        assertThat(r.findings()).filteredOn(f -> f instanceof Finding.TreeDamaged).hasSize(2) // the two snapshots' roots
                .allSatisfy(f -> assertThat(f.message()).endsWith("cannot be read: in no index file"));
    }

    @Test
    void treeDamageFoundByTheReadBackIsReportedTheSameOnEveryRun() throws Exception {
        damage(pack(BlobType.TREE), Damage.FLIP);
        CheckReport first = check(new ReadSelection.All());
        CheckReport second = check(new ReadSelection.All());
        assertThat(first.clean()).isFalse();
        assertThat(affected(first)).isNotEmpty();
        assertThat(described(first)).containsExactlyElementsOf(described(second));
    }

    /** Each finding's message with the files it affects. */
    private static List<String> described(CheckReport r) {
        return r.findings().stream().map(f -> f.message() + " " + f.affected()).toList();
    }

    @Test
    void structureCheckDoesNotReadDataPacks() throws Exception {
        damage(pack(BlobType.DATA), Damage.FLIP);
        CheckReport r = check(new ReadSelection.None());
        assertThat(r.packsRead()).isZero();
        assertThat(r.clean()).isTrue(); // a flipped data bit is found only by reading data back
    }

    @Test
    void oneDamagedTreeTakesOnlyItsOwnDirectory() throws Exception {
        Path lost = src.resolve("deep/a/b");
        try (Repository repo = open()) {
            // down the snapshot's tree to deep/a/b, and one byte of its sealed blob flipped in its tree pack
            dev.kiln.core.id.BlobId tree = dev.kiln.core.id.BlobId.parse(repo.findSnapshot("latest").snapshot().tree());
            for (Path name : lost) {
                tree = repo.loadTree(tree).stream()
                        .filter(n -> n instanceof dev.kiln.core.snapshot.Node.Directory && n.name().toString().equals(name.toString()))
                        .map(n -> ((dev.kiln.core.snapshot.Node.Directory) n).subtree()).findFirst().orElseThrow();
            }
            dev.kiln.core.index.IndexEntry at = repo.findBlob(tree).orElseThrow();
            ObjectKey pack = ObjectKey.of(ObjectKind.PACK, at.pack().hex());
            byte[] b = store.get(pack);
            b[at.entry().offset() + at.entry().length() / 2] ^= 0x01;
            store.put(pack, b);
        }
        try (Repository repo = open()) {
            Path out = tmp.resolve("restored");
            RestoreResult r = new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 2)).run(repo.findSnapshot("latest"));
            assertThat(r.errors()).isNotEmpty(); // named, and the restore is not called a success
            Path back = out.resolve(src.toString().substring(1));
            try (var files = Files.walk(src)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Path restored = back.resolve(src.relativize(f));
                    if (f.startsWith(lost)) {
                        assertThat(restored).doesNotExist();
                    } else {
                        assertThat(restored).as("%s, outside the damaged directory", f).hasSameBinaryContentAs(f);
                    }
                }
            }
        }
        CheckReport r = check(new ReadSelection.None());
        assertThat(r.findings()).filteredOn(f -> f instanceof Finding.TreeDamaged).singleElement()
                .satisfies(f -> {
                    assertThat(f.affected()).extracting(Affected::path).containsOnly(lost.toString());
                    assertThat(f.affected()).extracting(Affected::snapshot).doesNotHaveDuplicates().hasSize(2); // both snapshots have it
                });
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void damagedTreePackIsFoundAndNamesDirectories(Damage how) throws Exception {
        damage(pack(BlobType.TREE), how);
        CheckReport r = check(new ReadSelection.None());
        assertThat(r.clean()).isFalse();
        assertThat(r.findings()).anyMatch(f -> f instanceof Finding.TreeDamaged || f instanceof Finding.PackDamaged
                || f instanceof Finding.PackMissing);
        assertThat(affected(r)).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void damagedIndexIsFoundAndRepaired(Damage how) throws Exception {
        ObjectKey index = store.list(ObjectKind.INDEX).getFirst().key();
        damage(index, how);
        CheckReport r = check(new ReadSelection.None());
        assertThat(r.clean()).isFalse();
        if (how != Damage.DELETE) {
            assertThat(r.findings()).anyMatch(f -> f instanceof Finding.IndexFileDamaged);
        }
        assertThat(r.findings()).anyMatch(f -> f instanceof Finding.PackUnreferenced);
        assertThat(affected(r)).isNotEmpty();

        try (Repository repo = open()) {
            IndexRepairer.Result fixed = new IndexRepairer(repo).run();
            assertThat(fixed.unreadablePacks()).isEmpty();
            assertThat(fixed.packs()).isEqualTo(store.list(ObjectKind.PACK).size());
        }
        CheckReport after = check(new ReadSelection.All());
        assertThat(after.findings()).isEmpty();
        try (Repository repo = open()) {
            Path out = tmp.resolve("repaired");
            assertThat(new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 2)).run(repo.findSnapshot("latest")).errors()).isEmpty();
            TestTrees.assertSameTree(src, out.resolve(src.toString().substring(1)));
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void damagedSnapshotIsFound(Damage how) throws Exception {
        ObjectKey snapshot = store.list(ObjectKind.SNAPSHOT).getFirst().key();
        damage(snapshot, how);
        CheckReport r = check(new ReadSelection.None());
        if (how == Damage.DELETE) {
            // a deleted snapshot cannot be told from a forgotten one; its trees are left without a snapshot
            assertThat(r.findings()).anyMatch(f -> f instanceof Finding.TreesUnreachable);
        } else {
            assertThat(r.clean()).isFalse();
            assertThat(r.findings()).anyMatch(f -> f instanceof Finding.SnapshotDamaged && f.message().contains(snapshot.name().substring(0, 8)));
        }
        assertThat(r.snapshots()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void damagedKeyFileOrConfigStopsOpeningWithAClearError(Damage how) throws Exception {
        ObjectKey key = store.list(ObjectKind.KEY).getFirst().key();
        byte[] keyBytes = store.get(key);
        damage(key, how);
        assertThatThrownBy(this::open).isInstanceOf(IntegrityException.class).hasMessageContaining("key");
        store.put(key, keyBytes);

        damage(ObjectKey.CONFIG, how);
        Function<Throwable, Boolean> expected = t -> how == Damage.DELETE ? t instanceof RepositoryNotFoundException
                : t instanceof IntegrityException && t.getMessage().contains("config");
        assertThatThrownBy(this::open).matches(expected::apply, "the expected error");
    }

    @Test
    void aKeyFileThatStillOpensButNoLongerMatchesItsNameIsDamageAndAWrongPasswordStaysOne() throws Exception {
        ObjectKey key = store.list(ObjectKind.KEY).getFirst().key();
        byte[] keyBytes = store.get(key);
        // the key is checked against its name after it is derived: a change the derivation does not see is caught all the same
        String json = new String(keyBytes, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).contains("\"host\" : \"h\"");
        store.put(key, json.replace("\"host\" : \"h\"", "\"host\" : \"x\"").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(this::open).isInstanceOf(IntegrityException.class).hasMessageContaining("does not match its name");
        store.put(key, keyBytes);
        assertThatThrownBy(() -> Repository.open(store, "not the password".getBytes(), Clock.systemUTC()))
                .isInstanceOf(dev.kiln.core.crypto.WrongPasswordException.class);
        open().close();
    }

    @Test
    void budgetReadsLeastRecentlyVerifiedFirstAndCoverageGrows() throws Exception {
        List<ObjectInfo> packs = store.list(ObjectKind.PACK);
        long total = packs.stream().mapToLong(ObjectInfo::size).sum();
        long budget = total / 3;
        CheckReport first = check(new ReadSelection.Budget(budget));
        assertThat(first.packsRead()).isBetween(1L, (long) packs.size() - 1);
        assertThat(first.bytesRead()).isLessThanOrEqualTo(Math.max(budget, packs.stream().mapToLong(ObjectInfo::size).max().orElseThrow()));
        assertThat(first.coverage()).isGreaterThan(0).isLessThan(1);
        double coverage = first.coverage();
        int runs = 1;
        while (coverage < 1.0 && runs < 10) {
            CheckReport next = check(new ReadSelection.Budget(budget));
            assertThat(next.coverage()).isGreaterThan(coverage);
            coverage = next.coverage();
            runs++;
        }
        assertThat(coverage).isEqualTo(1.0);
        assertThat(runs).isLessThanOrEqualTo(5);
        assertThat(store.list(ObjectKind.VERIFICATION)).hasSize(1); // records are merged, not piled up
    }

    @Test
    void slicesPartitionThePacks() throws Exception {
        long sum = 0;
        for (int n = 1; n <= 3; n++) {
            sum += check(new ReadSelection.Slice(n, 3)).packsRead();
        }
        assertThat(sum).isEqualTo(store.list(ObjectKind.PACK).size());
        assertThat(check(new ReadSelection.Percent(100)).packsRead()).isEqualTo(store.list(ObjectKind.PACK).size());
    }
}
