package dev.kiln.core.backup;

import dev.kiln.core.fsname.PathAccess;
import dev.kiln.core.fsname.RawNames;
import dev.kiln.core.fsname.SymbolicLinks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.TreeWalker;
import dev.kiln.core.restore.RestoreOptions;
import dev.kiln.core.restore.RestoreResult;
import dev.kiln.core.restore.Restorer;
import dev.kiln.core.snapshot.Node;
import dev.kiln.core.store.MemoryBlobStore;
import dev.kiln.core.testing.TestRepositories;
import dev.kiln.core.testing.TestTrees;
import dev.kiln.core.testing.TreeChecker;
import dev.kiln.core.id.BlobId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File-system cases beyond plain files: hard links, FIFOs, cache tags, size limits, mount points, files that change. */
class FidelityTest {
    @TempDir
    Path tmp;
    private final MemoryBlobStore store = new MemoryBlobStore();

    /** JUnit cannot delete paths longer than PATH_MAX: remove what the tests made, through PathAccess. */
    @org.junit.jupiter.api.AfterEach
    void removeDeepTrees() throws Exception {
        try (PathAccess fs = new PathAccess()) {
            delete(fs, tmp.toAbsolutePath());
        }
    }

    private static void delete(PathAccess fs, Path real) throws Exception {
        if (Files.isDirectory(fs.of(real), LinkOption.NOFOLLOW_LINKS)) {
            List<Path> children = new ArrayList<>();
            try (var s = Files.newDirectoryStream(fs.of(real))) {
                s.forEach(c -> children.add(real.resolve(c.getFileName())));
            }
            for (Path c : children) {
                delete(fs, c);
            }
        }
        if (!real.equals(real.getRoot())) {
            Files.deleteIfExists(fs.of(real));
        }
    }

    private Repository repo() throws Exception {
        return Repository.init(store, "pw".getBytes(), TestRepositories.small(), Clock.systemUTC(), "h", "u");
    }

    private BackupResult backup(Repository repo, BackupOptions o) throws Exception {
        return new Archiver(repo, o, w -> { }).run();
    }

    private static BackupOptions options(Path src, boolean oneFs, boolean caches, long larger) {
        return new BackupOptions(List.of(src), "h", "u", List.of(), List.of(), Optional.empty(), 2, oneFs, caches, larger);
    }

    private Map<String, Node> nodes(Repository repo, BackupResult r) throws Exception {
        Map<String, Node> all = new HashMap<>();
        new TreeWalker(repo).walk(BlobId.parse(r.snapshot().tree()), Path.of("/"), (p, n) -> all.put(p.toString(), n));
        return all;
    }

    private static long allocatedBlocks(Path p) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b", p.toString()).start();
        assertThat(stat.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return Long.parseLong(new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip());
    }

    @Test
    void zeroRunsAreStoredOnceAndRestoredAsHoles() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path sparse = src.resolve("disk.img");
        try (var ch = java.nio.channels.FileChannel.open(sparse, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(TestTrees.random(new SplittableRandom(5), 100_000)), 10_000_000);
        }
        try (var raf = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            raf.setLength(64_000_000); // a hole at the end too
        }
        try (Repository repo = repo()) {
            BackupResult r = backup(repo, options(src, false, false, 0));
            assertThat(r.snapshot().summary().bytesStored()).isLessThan(1_000_000); // the zeros dedup to one blob
            Path out = tmp.resolve("out");
            RestoreResult rr = new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 2)).run(repo.findSnapshot("latest"));
            assertThat(rr.errors()).isEmpty();
            Path restored = out.resolve(sparse.toString().substring(1));
            assertThat(Files.size(restored)).isEqualTo(64_000_000);
            assertThat(restored).hasSameBinaryContentAs(sparse);
            assertThat(allocatedBlocks(restored) * 512).isLessThan(4_000_000); // holes, not 64 MB of zeros

            Path dense = tmp.resolve("dense");
            new Restorer(repo, new RestoreOptions(dense, List.of(), List.of(), 2, false, false)).run(repo.findSnapshot("latest"));
            assertThat(allocatedBlocks(dense.resolve(sparse.toString().substring(1))) * 512).isGreaterThan(60_000_000);
        }
    }

    @Test
    void extendedAttributesRoundTrip() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/dir"));
        Path f = src.resolve("labelled.txt");
        Files.writeString(f, "content");
        var fview = Files.getFileAttributeView(f, java.nio.file.attribute.UserDefinedFileAttributeView.class);
        fview.write("kiln.origin", java.nio.ByteBuffer.wrap("web1".getBytes(StandardCharsets.UTF_8)));
        fview.write("kiln.binary", java.nio.ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xff}));
        Files.getFileAttributeView(src, java.nio.file.attribute.UserDefinedFileAttributeView.class)
                .write("kiln.dir", java.nio.ByteBuffer.wrap(new byte[] {42}));
        try (Repository repo = repo()) {
            BackupResult r = backup(repo, options(src, false, false, 0));
            Node node = nodes(repo, r).get(f.toString());
            assertThat(node.meta().xattrs()).extracting(dev.kiln.core.xattr.ExtendedAttributes.Xattr::name)
                    .contains("user.kiln.origin", "user.kiln.binary");
            Path out = tmp.resolve("out");
            RestoreResult rr = new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 2)).run(repo.findSnapshot("latest"));
            assertThat(rr.errors()).isEmpty();
            assertThat(rr.warnings()).isEmpty();
            Path rf = out.resolve(f.toString().substring(1));
            var view = Files.getFileAttributeView(rf, java.nio.file.attribute.UserDefinedFileAttributeView.class);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(16);
            view.read("kiln.binary", buf);
            assertThat(java.util.Arrays.copyOf(buf.array(), buf.position())).containsExactly(0, 1, 0xff);
            assertThat(dev.kiln.core.xattr.ExtendedAttributes.read(out.resolve(src.toString().substring(1))))
                    .contains(new dev.kiln.core.xattr.ExtendedAttributes.Xattr("user.kiln.dir", new byte[] {42}));
            // ACLs are extended attributes too (system.posix_acl_access)
            assertThat(dev.kiln.core.xattr.ExtendedAttributes.read(rf)).containsExactlyInAnyOrderElementsOf(
                    dev.kiln.core.xattr.ExtendedAttributes.read(f));
        }
    }

    @Test
    void aChangedAttributeIsSeenByTheNextBackupAndUnchangedOnesAreKept() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path changed = Files.writeString(src.resolve("changed.txt"), "a");
        Path kept = Files.writeString(src.resolve("kept.txt"), "b");
        dev.kiln.core.xattr.ExtendedAttributes.write(changed, new dev.kiln.core.xattr.ExtendedAttributes.Xattr("user.v", new byte[] {1}));
        dev.kiln.core.xattr.ExtendedAttributes.write(kept, new dev.kiln.core.xattr.ExtendedAttributes.Xattr("user.k", new byte[] {7}));
        try (Repository repo = repo()) {
            BackupResult first = backup(repo, options(src, false, false, 0));
            dev.kiln.core.xattr.ExtendedAttributes.write(changed, new dev.kiln.core.xattr.ExtendedAttributes.Xattr("user.v", new byte[] {2}));
            BackupOptions o = new BackupOptions(List.of(src), "h", "u", List.of(), List.of(),
                    Optional.of(new dev.kiln.core.repo.SnapshotRef(first.snapshotId(), first.snapshot())), 2, false, false, 0);
            BackupResult second = backup(repo, o);
            Map<String, Node> after = nodes(repo, second);
            assertThat(after.get(changed.toString()).meta().xattrs())
                    .containsExactly(new dev.kiln.core.xattr.ExtendedAttributes.Xattr("user.v", new byte[] {2}));
            assertThat(after.get(kept.toString()).meta().xattrs())
                    .containsExactly(new dev.kiln.core.xattr.ExtendedAttributes.Xattr("user.k", new byte[] {7}));
            assertThat(second.snapshot().summary().filesUnchanged()).isEqualTo(1); // the new ctime makes the other one "changed"
        }
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledIf("root") // mounting a small tmpfs needs root
    void aFullDiskStopsTheRestoreNamingTheFileAndLeavesNoPartialFile() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.write(src.resolve("a-small.txt"), "fits".getBytes(StandardCharsets.UTF_8));
        Files.write(src.resolve("big.bin"), TestTrees.random(new SplittableRandom(3), 6_000_000));
        Path mount = mount(tmp.resolve("small-disk"), "tmpfs", "-o", "size=2m", "tmpfs");
        try (Repository repo = repo()) {
            backup(repo, options(src, false, false, 0));
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                    new Restorer(repo, new RestoreOptions(mount, List.of(), List.of(), 2)).run(repo.findSnapshot("latest")))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("big.bin").hasMessageContaining("No space left on device");
            assertThat(mount.resolve(src.resolve("big.bin").toString().substring(1))).doesNotExist();
        } finally {
            run("umount", mount.toString());
        }
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledIf("root") // mounting needs root
    void aTargetWithoutExtendedAttributesGetsOneWarningNotAFailure() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        for (int i = 0; i < 3; i++) {
            Path f = Files.writeString(src.resolve("f" + i), "content " + i);
            dev.kiln.core.xattr.ExtendedAttributes.write(f, new dev.kiln.core.xattr.ExtendedAttributes.Xattr("user.i", new byte[] {(byte) i}));
        }
        Path mount = mount(tmp.resolve("ramfs"), "ramfs", "ramfs");
        try (Repository repo = repo()) {
            backup(repo, options(src, false, false, 0));
            RestoreResult rr = new Restorer(repo, new RestoreOptions(mount, List.of(), List.of(), 2)).run(repo.findSnapshot("latest"));
            assertThat(rr.errors()).isEmpty();
            assertThat(rr.warnings()).singleElement().asString().contains("extended attributes are not restored there");
            assertThat(mount.resolve(src.resolve("f2").toString().substring(1))).hasContent("content 2");
        } finally {
            run("umount", mount.toString());
        }
    }

    @Test
    void oddNamesRoundTripByteForByte() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9, '.', 't', 'x', 't'};
        byte[] badDir = {'d', (byte) 0xff, (byte) 0xfe};
        Files.writeString(RawNames.resolve(src, latin1), "latin-1 name");
        Path dir = Files.createDirectories(RawNames.resolve(src, badDir));
        Files.writeString(dir.resolve("inside"), "in a non-UTF-8 directory");
        Files.writeString(src.resolve("new\nline"), "newline in the name");
        Files.writeString(src.resolve("x".repeat(255)), "longest name");
        try (Repository repo = repo()) {
            BackupResult r = backup(repo, options(src, false, false, 0));
            assertThat(r.warnings()).isEmpty();
            Path out = tmp.resolve("out");
            RestoreResult rr = new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 2)).run(repo.findSnapshot("latest"));
            assertThat(rr.errors()).isEmpty();
            Path base = out.resolve(src.toString().substring(1));
            List<String> names = new ArrayList<>();
            try (var s2 = Files.list(base)) {
                s2.forEach(p -> names.add(java.util.HexFormat.of().formatHex(RawNames.bytesOf(p))));
            }
            assertThat(names).contains(java.util.HexFormat.of().formatHex(latin1), java.util.HexFormat.of().formatHex(badDir));
            assertThat(RawNames.resolve(base, latin1)).hasContent("latin-1 name");
            assertThat(RawNames.resolve(base, badDir).resolve("inside")).hasContent("in a non-UTF-8 directory");
            assertThat(base.resolve("new\nline")).hasContent("newline in the name");
            assertThat(base.resolve("x".repeat(255))).hasContent("longest name");
        }
    }

    /** Issue 3's tree: every case in one tree, compared by TreeChecker (run as root for owners and devices). */
    @Test
    @org.junit.jupiter.api.condition.EnabledIf("root")
    void everyCaseRoundTripsAsRoot() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 91);
        Path setuid = src.resolve("setuid-tool");
        Files.writeString(setuid, "#!/bin/sh\n");
        Files.setAttribute(setuid, "unix:mode", 04755);
        Path sticky = Files.createDirectories(src.resolve("sticky-dir"));
        Files.setAttribute(sticky, "unix:mode", 01777);
        Path owned = src.resolve("owned-by-4242");
        Files.writeString(owned, "someone else's");
        Files.setAttribute(owned, "unix:uid", 4242);
        Files.setAttribute(owned, "unix:gid", 4343);
        Files.createLink(src.resolve("hardlink-to-text"), src.resolve("src/main/java/Text.java"));
        Files.write(RawNames.resolve(src, new byte[] {'b', (byte) 0xe4, 'd'}), new byte[] {1, 2, 3});
        Files.writeString(src.resolve("multi\nline name"), "x");
        Files.getFileAttributeView(src.resolve("copy1.bin"), java.nio.file.attribute.UserDefinedFileAttributeView.class)
                .write("kiln.note", java.nio.ByteBuffer.wrap("kept".getBytes(StandardCharsets.UTF_8)));
        Path sparse = src.resolve("sparse.img");
        try (var raf = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            raf.seek(3_000_000);
            raf.write(TestTrees.random(new SplittableRandom(2), 70_000));
            raf.setLength(20_000_000);
        }
        assertThat(new ProcessBuilder("mkfifo", src.resolve("fifo").toString()).start().waitFor()).isZero();
        assertThat(new ProcessBuilder("mknod", src.resolve("null-device").toString(), "c", "1", "3").start().waitFor()).isZero();
        Files.write(src.resolve("exactly-min-chunk"), TestTrees.random(new SplittableRandom(6), TestRepositories.small().chunker().min()));
        Files.write(src.resolve("exactly-max-chunk"), TestTrees.random(new SplittableRandom(7), TestRepositories.small().chunker().max()));
        // link targets are bytes: not UTF-8, doubled and trailing slashes are kept as they are
        SymbolicLinks.create(src.resolve("link-raw"), new byte[] {'.', '.', '/', 'x', (byte) 0xff, '/', '/', 'y', '/'});
        Path deep = deepTree(src.resolve("deep"), 5000);
        try (Repository repo = repo()) {
            BackupResult r = backup(repo, options(src, false, false, 0));
            assertThat(r.warnings()).isEmpty();
            Path out = tmp.resolve("out");
            RestoreResult rr = new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 2)).run(repo.findSnapshot("latest"));
            assertThat(rr.errors()).isEmpty();
            Map<String, String> expected = TreeChecker.describe(src);
            assertThat(expected.values()).anyMatch(v -> v.contains("holes=true")).anyMatch(v -> v.contains("linkgroup="))
                    .anyMatch(v -> v.contains("rdev=")).anyMatch(v -> v.contains("xattrs="))
                    .anyMatch(v -> v.contains(" -> 2e2e2f78ff2f2f792f"));
            assertThat(expected.keySet()).anyMatch(k -> k.length() / 2 > 5000); // hex: a path of more than 5000 bytes
            assertThat(RawNames.pathBytes(deep).length).isGreaterThan(5000);
            assertThat(TreeChecker.describe(out.resolve(src.toString().substring(1)))).isEqualTo(expected);
        }
    }

    /**
     * A chain of directories whose deepest path is longer than {@code bytes} (beyond PATH_MAX), with a file, an
     * extended attribute and a symlink at the bottom. Made through PathAccess: the JDK cannot name such paths.
     * @return the deepest directory
     */
    static Path deepTree(Path top, int bytes) throws Exception {
        try (PathAccess fs = new PathAccess()) {
            Path dir = top.toAbsolutePath();
            Files.createDirectories(dir);
            int level = 0;
            while (RawNames.pathBytes(dir).length <= bytes) {
                dir = dir.resolve(String.format("level-%03d-", level++) + "d".repeat(200));
                Files.createDirectory(fs.of(dir));
            }
            Path file = dir.resolve("deep-file.txt");
            Files.writeString(fs.of(file), "at the bottom of a very long path\n");
            dev.kiln.core.xattr.ExtendedAttributes.write(fs.of(file),
                    new dev.kiln.core.xattr.ExtendedAttributes.Xattr("user.deep", new byte[] {9}));
            SymbolicLinks.create(fs.of(dir.resolve("deep-link")), "deep-file.txt".getBytes(StandardCharsets.US_ASCII));
            Files.setLastModifiedTime(fs.of(file), java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
            return dir;
        }
    }

    @Test
    void pathsLongerThanPathMaxRoundTrip() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path deep = deepTree(src.resolve("deep"), 9000);
        try (Repository repo = repo()) {
            BackupResult r = backup(repo, options(src, false, false, 0));
            assertThat(r.warnings()).isEmpty();
            assertThat(r.snapshot().summary().filesNew()).isEqualTo(1);
            Map<String, Node> all = nodes(repo, r);
            assertThat(all).containsKey(deep.resolve("deep-file.txt").toString());
            Path out = tmp.resolve("out");
            RestoreResult rr = new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 2)).run(repo.findSnapshot("latest"));
            assertThat(rr.errors()).isEmpty();
            assertThat(TreeChecker.describe(out.resolve(src.toString().substring(1)))).isEqualTo(TreeChecker.describe(src));
        }
    }

    /** Mounts a file system of {@code type} on a new directory {@code at} (root only). */
    private static Path mount(Path at, String type, String... rest) throws Exception {
        Files.createDirectories(at);
        List<String> cmd = new ArrayList<>(List.of("mount", "-t", type));
        cmd.addAll(List.of(rest));
        cmd.add(at.toString());
        assertThat(run(cmd.toArray(String[]::new))).isZero();
        return at;
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    static boolean root() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledIf("root") // chown needs root
    void ownershipIsRestoredByNameOrByIdAsRoot() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path f = src.resolve("owned");
        Files.writeString(f, "x");
        Files.setAttribute(f, "unix:uid", 4242);
        Files.setAttribute(f, "unix:gid", 4343);
        try (Repository repo = repo()) {
            backup(repo, options(src, false, false, 0));
            Path out = tmp.resolve("out");
            new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 2, true, true)).run(repo.findSnapshot("latest"));
            Path restored = out.resolve(f.toString().substring(1));
            assertThat(Files.getAttribute(restored, "unix:uid")).isEqualTo(4242);
            assertThat(Files.getAttribute(restored, "unix:gid")).isEqualTo(4343);
        }
    }

    @Test
    void hardLinksAreReadOnceAndRestoredAsLinks() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/a"));
        byte[] data = TestTrees.random(new SplittableRandom(9), 2_000_000);
        Files.write(src.resolve("one"), data);
        Files.createLink(src.resolve("two"), src.resolve("one"));
        Files.createDirectories(src.resolve("sub"));
        Files.createLink(src.resolve("sub/three"), src.resolve("one"));
        try (Repository repo = repo()) {
            BackupResult r = backup(repo, options(src, false, false, 0));
            assertThat(r.snapshot().summary().bytesRead()).isEqualTo(data.length);
            Path out = tmp.resolve("out");
            RestoreResult rr = new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 2)).run(repo.findSnapshot("latest"));
            assertThat(rr.errors()).isEmpty();
            Path base = out.resolve(src.toString().substring(1));
            Object ino = Files.getAttribute(base.resolve("one"), "unix:ino");
            assertThat(Files.getAttribute(base.resolve("two"), "unix:ino")).isEqualTo(ino);
            assertThat(Files.getAttribute(base.resolve("sub/three"), "unix:ino")).isEqualTo(ino);
            assertThat(Files.getAttribute(base.resolve("one"), "unix:nlink")).isEqualTo(3);
            assertThat(base.resolve("sub/three")).hasBinaryContent(data);
        }
    }

    @Test
    void fifoIsRecordedWithoutHangingAndRecreated() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("f.txt"), "x");
        Process mk = new ProcessBuilder("mkfifo", "-m", "640", src.resolve("pipe").toString()).start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
        try (Repository repo = repo()) {
            BackupResult r = backup(repo, options(src, false, false, 0)); // would block forever if the FIFO were opened
            assertThat(r.warnings()).isEmpty();
            Node pipe = nodes(repo, r).get(src.resolve("pipe").toString());
            assertThat(pipe).isInstanceOfSatisfying(Node.Special.class, s -> assertThat(s.kind()).isEqualTo(Node.SpecialKind.FIFO));
            Path out = tmp.resolve("out");
            RestoreResult rr = new Restorer(repo, new RestoreOptions(out, List.of(), List.of(), 2)).run(repo.findSnapshot("latest"));
            assertThat(rr.errors()).isEmpty();
            Path restored = out.resolve(src.toString().substring(1)).resolve("pipe");
            assertThat(Files.readAttributes(restored, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()).isTrue();
            assertThat((Integer) Files.getAttribute(restored, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170777).isEqualTo(0010640);
        }
    }

    @Test
    void cacheTagsAndSizeLimitsLeaveThingsOut() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path cache = Files.createDirectories(src.resolve("cache"));
        Files.writeString(cache.resolve("CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n# a cache\n");
        Files.writeString(cache.resolve("junk"), "cached");
        Path fake = Files.createDirectories(src.resolve("not-a-cache"));
        Files.writeString(fake.resolve("CACHEDIR.TAG"), "Signature: wrong\n");
        Files.writeString(fake.resolve("kept"), "kept");
        Files.write(src.resolve("big"), new byte[100_000]);
        Files.write(src.resolve("small"), new byte[100]);
        try (Repository repo = repo()) {
            Map<String, Node> n = nodes(repo, backup(repo, options(src, false, true, 50_000)));
            assertThat(n).containsKey(cache.resolve("CACHEDIR.TAG").toString()).doesNotContainKey(cache.resolve("junk").toString())
                    .containsKey(fake.resolve("kept").toString()).containsKey(src.resolve("small").toString())
                    .doesNotContainKey(src.resolve("big").toString());
        }
    }

    @Test
    void oneFileSystemRecordsMountPointsEmpty() throws Exception {
        Path dev = Path.of("/dev");
        Path shm = Path.of("/dev/shm");
        assertThat(Files.getAttribute(shm, "unix:dev")).isNotEqualTo(Files.getAttribute(dev, "unix:dev")); // /dev/shm is a tmpfs
        Path marker = Files.createTempFile(shm, "kiln-test", ".marker");
        try (Repository repo = repo()) {
            Map<String, Node> crossing = nodes(repo, backup(repo, options(dev, false, false, 0)));
            assertThat(crossing).containsKey(marker.toString());
            Map<String, Node> staying = nodes(repo, backup(repo, options(dev, true, false, 0)));
            assertThat(staying).containsKey(shm.toString()).doesNotContainKey(marker.toString());
            assertThat(staying.values()).anyMatch(node -> node instanceof Node.Special s && s.kind() == Node.SpecialKind.CHAR_DEVICE);
        } finally {
            Files.deleteIfExists(marker);
        }
    }

    @Test
    void aFileThatKeepsChangingIsStoredAsReadWithAWarning() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path log = src.resolve("growing.log");
        Files.write(log, TestTrees.random(new SplittableRandom(4), 20 << 20));
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            byte[] line = "another line of a busy log file\n".getBytes(StandardCharsets.US_ASCII);
            while (!stop.get()) {
                try {
                    Files.write(log, line, java.nio.file.StandardOpenOption.APPEND);
                    Thread.sleep(1);
                } catch (Exception e) {
                    return;
                }
            }
        });
        writer.start();
        try (Repository repo = repo()) {
            BackupResult r = backup(repo, options(src, false, false, 0));
            assertThat(r.warnings()).anyMatch(w -> w.contains("changed while being read") && w.contains(log.toString()));
            assertThat(r.snapshot().summary().incomplete()).isTrue();
            assertThat(nodes(repo, r)).containsKey(log.toString());
        } finally {
            stop.set(true);
            writer.join();
        }
    }
}
