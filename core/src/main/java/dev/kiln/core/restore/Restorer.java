package dev.kiln.core.restore;

import dev.kiln.core.backup.ExcludeFilter;
import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.PackId;
import dev.kiln.core.index.IndexEntry;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.SnapshotRef;
import dev.kiln.core.snapshot.Metadata;
import dev.kiln.core.snapshot.Node;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import dev.kiln.core.fsname.PathAccess;
import dev.kiln.core.fsname.SymbolicLinks;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Restores a snapshot, or the part of it selected by include and exclude patterns, under a target directory.
 *
 * <p>First the trees are walked: directories, symlinks and empty files are made, and each blob a file needs is
 * noted under its pack. Then workers read each pack once (one ranged read over the blobs needed from it),
 * decrypt each blob once and write it at its offset in every file that holds it. Last, modes, ownership (as
 * root) and times are set, directories after their contents.
 */
public final class Restorer {
    /** Gaps larger than this between needed blobs of one pack split the read in two. */
    static final int MAX_READ_GAP = 1 << 20;
    /**
     * A single ranged read never spans more than this (unless one blob is larger). Each restore thread holds one
     * range and a blob's two decode buffers: at 32 MiB, four threads held up to 192 MiB next to the plan, and a
     * restore of src with -Xmx256m ran out of heap when slow writes kept all four ranges alive at once.
     */
    static final int MAX_READ = 8 << 20;

    private final Repository repo;
    private final RestoreOptions options;
    private final ExcludeFilter includes;
    private final ExcludeFilter excludes;
    /** Ownership can be restored only by root. */
    private final boolean root = new com.sun.security.auth.module.UnixSystem().getUid() == 0;

    private final Map<PackId, List<Target>> plan = new HashMap<>();
    private final List<Finish> finishFiles = new ArrayList<>();
    private final List<Finish> finishDirs = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean xattrsUnsupported = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong packsRead = new AtomicLong();
    private final AtomicLong downloaded = new AtomicLong();
    private long files;
    private long dirs;
    private long others;

    public Restorer(Repository repo, RestoreOptions options) {
        this.repo = repo;
        this.options = options;
        this.includes = new ExcludeFilter(options.includes());
        this.excludes = new ExcludeFilter(options.excludes());
    }

    /** One place a blob goes: a file and an offset in it. */
    private record Target(IndexEntry blob, Path file, long offset) {
    }

    private record Finish(Path path, Node node) {
    }

    /** Reaches paths longer than PATH_MAX; every file-system call takes {@code fs.of(path)}, messages the real path. */
    private final PathAccess fs = new PathAccess();

    /** Directories this restore made or found: the walk asks once per directory, not once per file (a stat each). */
    private final java.util.Set<Path> madeDirs = new java.util.HashSet<>();

    /** Creates a directory and its missing parents, also where the path is longer than PATH_MAX. */
    private void mkdirs(Path real) throws IOException {
        if (madeDirs.contains(real)) {
            return;
        }
        makeDirs(real);
        madeDirs.add(real);
    }

    private void makeDirs(Path real) throws IOException {
        Path access = fs.of(real);
        if (access == real) {
            Files.createDirectories(real);
            return;
        }
        if (Files.isDirectory(access, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        mkdirs(real.getParent());
        try {
            Files.createDirectory(fs.of(real));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(fs.of(real), LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
        }
    }

    public RestoreResult run(SnapshotRef snapshot) throws IOException {
        try {
            return restore(snapshot);
        } finally {
            fs.close();
        }
    }

    private RestoreResult restore(SnapshotRef snapshot) throws IOException {
        long t0 = System.nanoTime();
        Path target = options.target().toAbsolutePath().normalize();
        Files.createDirectories(target);
        try {
            walk(BlobId.parse(snapshot.snapshot().tree()), target, Path.of("/"), includes.isEmpty());
            submitLookups();
            awaitAll(lookups);
        } finally {
            planner.shutdownNow();
        }
        try {
            writeContents();
        } catch (IOException e) {
            for (Path p : damagedFiles) {
                Files.deleteIfExists(fs.of(p));
            }
            throw e;
        }
        for (Finish f : finishFiles) { // files no blob was written to: empty ones, and those left all holes
            if (f.node() instanceof Node.File && !created.contains(f.path()) && !damagedFiles.contains(f.path())) {
                createEmpty(fs.of(f.path())).close();
            }
        }
        for (Map.Entry<Path, Path> link : pendingLinks.entrySet()) {
            if (damagedFiles.contains(link.getValue())) {
                damaged(link.getKey(), "a hard link of " + link.getValue() + ", which is damaged");
                continue;
            }
            Files.deleteIfExists(fs.of(link.getKey()));
            Files.createLink(fs.of(link.getKey()), fs.of(link.getValue()));
        }
        for (Path p : damagedFiles) {
            Files.deleteIfExists(fs.of(p));
        }
        for (Finish f : finishFiles) { // only files where a zero block was skipped may end short
            if (f.node() instanceof Node.File file && withHoles.contains(f.path()) && !damagedFiles.contains(f.path())
                    && Files.size(fs.of(f.path())) < file.size()) {
                NativeFiles.truncate(fs.of(f.path()), file.size()); // ends in a hole: extend without writing
            }
        }
        finishFiles.removeIf(f -> damagedFiles.contains(f.path()));
        files -= damagedFiles.size();
        // Changing an entry's mode or times does not touch its directory's mtime, so each list can be done in
        // parallel; directories come after all files, whose creation did touch them.
        finishFiles.parallelStream().forEach(f -> applyMetadata(f.path(), f.node()));
        finishDirs.parallelStream().forEach(f -> applyMetadata(f.path(), f.node()));
        return new RestoreResult(files, dirs, others, bytes.get(), packsRead.get(), downloaded.get(),
                (System.nanoTime() - t0) / 1_000_000, errors, warnings);
    }

    /**
     * Restores the tree {@code id} into {@code dir}, which stands for {@code snapshotPath}.
     * @return whether anything was restored below
     */
    private boolean walk(BlobId id, Path dir, Path snapshotPath, boolean included) throws IOException {
        List<Node> nodes;
        try {
            nodes = repo.loadTree(id);
        } catch (IOException e) {
            error("cannot load tree " + id + " for " + snapshotPath + ": " + e.getMessage());
            return false;
        }
        boolean any = false;
        for (Node node : nodes) {
            String name = node.name().toString();
            Path inSnapshot = snapshotPath.resolve(name);
            if (excludes.matches(inSnapshot)) {
                continue;
            }
            boolean selected = included || includes.matches(inSnapshot);
            Path out = dev.kiln.core.fsname.RawNames.resolve(dir, node.name().bytes());
            switch (node) {
                case Node.Directory d -> {
                    int mark = finishDirs.size();
                    finishDirs.add(new Finish(out, d));
                    if (selected) {
                        mkdirs(out);
                    }
                    if (walk(d.subtree(), out, inSnapshot, selected) || selected) {
                        dirs++;
                        any = true;
                    } else {
                        finishDirs.remove(mark);
                    }
                }
                case Node.File f -> {
                    if (selected) {
                        planFile(out, f);
                        any = true;
                    }
                }
                case Node.Symlink s -> {
                    if (selected) {
                        mkdirs(dir);
                        Files.deleteIfExists(fs.of(out));
                        SymbolicLinks.create(fs.of(out), s.target());
                        finishFiles.add(new Finish(out, s));
                        others++;
                        any = true;
                    }
                }
                case Node.Special s -> {
                    if (selected && restoreSpecial(dir, out, s, inSnapshot)) {
                        others++;
                        any = true;
                    }
                }
            }
        }
        return any;
    }

    /** First restored name of each multiply-linked file, by device and inode in the snapshot. */
    private final Map<String, Path> linkTargets = new HashMap<>();
    /** Further names of those files: made as hard links once the first name has its content. */
    private final Map<Path, Path> pendingLinks = new java.util.LinkedHashMap<>();

    /** FIFOs always, devices as root; sockets belong to a running program and are not recreated. */
    private boolean restoreSpecial(Path dir, Path out, Node.Special s, Path inSnapshot) throws IOException {
        int type = switch (s.kind()) {
            case FIFO -> NativeFiles.S_IFIFO;
            case CHAR_DEVICE -> NativeFiles.S_IFCHR;
            case BLOCK_DEVICE -> NativeFiles.S_IFBLK;
            case SOCKET -> 0;
        };
        if (type == 0) {
            return false;
        }
        if (type != NativeFiles.S_IFIFO && !root) {
            error("not restored (devices need root): " + inSnapshot);
            return false;
        }
        mkdirs(dir);
        Files.deleteIfExists(fs.of(out));
        NativeFiles.mknod(fs.of(out), type, s.meta().mode(), s.rdev());
        finishFiles.add(new Finish(out, s));
        return true;
    }

    private void planFile(Path out, Node.File f) throws IOException {
        mkdirs(out.getParent());
        if (f.meta().links() > 1) {
            Path first = linkTargets.putIfAbsent(f.meta().device() + ":" + f.meta().inode(), out);
            if (first != null) {
                pendingLinks.put(out, first);
                files++;
                return;
            }
        }
        files++;
        Finish finish = new Finish(out, f);
        finishFiles.add(finish);
        toLookUp.add(finish);
        if (toLookUp.size() >= LOOKUP_BATCH) {
            submitLookups();
        }
    }

    /**
     * The walk hands the files it plans to a second thread in batches, which finds their blobs in the index and
     * adds them to the plan: the walk (tree loading, mkdir) and the index lookups (~4 µs each, one per blob) overlap
     * instead of adding up (restore of src: 330 ms of lookups in a 700 ms walk, before any file is written).
     */
    private static final int LOOKUP_BATCH = 256;
    private List<Finish> toLookUp = new ArrayList<>();
    private final List<Future<?>> lookups = new ArrayList<>();
    /** Only this thread writes {@link #plan} until the walk is over. */
    private final ExecutorService planner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kiln-restore-plan");
        t.setDaemon(true);
        return t;
    });

    private void submitLookups() {
        if (toLookUp.isEmpty()) {
            return;
        }
        List<Finish> batch = toLookUp;
        toLookUp = new ArrayList<>();
        lookups.add(planner.submit(() -> {
            for (Finish f : batch) {
                planBlobs(f.path(), (Node.File) f.node());
            }
        }));
    }

    /** Waits for every task; the first failure is thrown as an IOException. */
    private static void awaitAll(List<Future<?>> tasks) throws IOException {
        for (Future<?> t : tasks) {
            try {
                t.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("restore interrupted");
            }
        }
    }

    private void planBlobs(Path out, Node.File f) {
        long offset = 0;
        for (BlobId id : f.content()) {
            var entry = repo.findBlob(id);
            if (entry.isEmpty()) {
                damaged(out, "blob " + id + " is not in the index");
                return;
            }
            plan.computeIfAbsent(entry.get().pack(), p -> new ArrayList<>()).add(new Target(entry.get(), out, offset));
            offset += entry.get().entry().rawLength();
        }
        if (offset != f.size()) {
            damaged(out, "its blobs add up to " + offset + " bytes, the file had " + f.size());
        }
    }

    /**
     * Creates {@code out} as an empty regular file open for writing, replacing whatever is there but never writing
     * through a symlink.
     */
    private static FileChannel createEmpty(Path out) throws IOException {
        try {
            return FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
            Files.delete(out); // a symlink, a directory or an unwritable file of that name: replace it
            return FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /**
     * Opens a file to write one of its blobs, under the file's write lock: the first writer creates it (the walk
     * makes only directories, so files are created by the writers, on several threads, and opened once less).
     */
    private FileChannel openForWriting(Path file) throws IOException {
        return created.add(file) ? createEmpty(fs.of(file)) : FileChannel.open(fs.of(file), StandardOpenOption.WRITE);
    }

    /** Files a writer has created. */
    private final java.util.Set<Path> created = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private void writeContents() throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "kiln-restore");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (Map.Entry<PackId, List<Target>> e : plan.entrySet()) {
                tasks.add(pool.submit(() -> {
                    restorePack(e.getKey(), e.getValue());
                    return null;
                }));
            }
            awaitAll(tasks);
        } finally {
            pool.shutdownNow();
        }
    }

    private void restorePack(PackId pack, List<Target> targets) throws IOException {
        targets.sort(Comparator.comparingInt((Target t) -> t.blob().entry().offset()));
        ObjectKey key = ObjectKey.of(ObjectKind.PACK, pack.hex());
        int i = 0;
        while (i < targets.size()) {
            int start = targets.get(i).blob().entry().offset();
            int end = start + targets.get(i).blob().entry().length();
            int j = i + 1;
            while (j < targets.size()) {
                var e = targets.get(j).blob().entry();
                if (e.offset() > end + MAX_READ_GAP || e.offset() + e.length() - start > MAX_READ) {
                    break;
                }
                end = Math.max(end, e.offset() + e.length());
                j++;
            }
            restoreRange(key, start, end, targets.subList(i, j));
            i = j;
        }
        packsRead.incrementAndGet();
    }

    private final ThreadLocal<dev.kiln.core.pack.BlobCodec.Scratch> scratch =
            ThreadLocal.withInitial(dev.kiln.core.pack.BlobCodec.Scratch::new);

    private void restoreRange(ObjectKey pack, int start, int end, List<Target> targets) throws IOException {
        byte[] data;
        try {
            data = repo.store().get(pack, start, end - start);
        } catch (IOException e) {
            for (Target t : targets) {
                damaged(t.file(), "cannot read " + pack + ": " + e.getMessage());
            }
            return;
        }
        downloaded.addAndGet(data.length);
        BlobId current = null;
        dev.kiln.core.pack.BlobCodec.Scratch buffers = scratch.get();
        byte[] plain = null;
        int length = 0;
        String failure = null;
        for (Target t : targets) {
            if (!t.blob().id().equals(current)) {
                current = t.blob().id();
                try {
                    length = repo.codec().openInto(t.blob().entry(), data, t.blob().entry().offset() - start, buffers);
                    plain = buffers.plain();
                    failure = null;
                } catch (IOException e) {
                    plain = null;
                    failure = e.getMessage();
                }
            }
            if (failure != null) {
                damaged(t.file(), failure);
            } else if (options.sparse() && isZero(plain, length)) {
                withHoles.add(t.file());
                bytes.addAndGet(length); // left as a hole; the file's length is set at the end
            } else {
                write(t, plain, length);
            }
        }
    }

    // (Apart from restoreRange, as is writeAt: the JIT compiles small methods once, where it compiled the loops of
    // one large method three times over, at up to 0.4 s of a compiler thread each.)
    private void write(Target t, byte[] plain, int length) throws IOException {
        java.util.concurrent.locks.Lock lock = writeLock(t.file());
        lock.lock();
        try (FileChannel ch = openForWriting(t.file())) {
            writeAt(ch, plain, length, t.offset());
        } catch (IOException e) {
            // A full disk or a failing target: the file is incomplete, so it goes, and the restore stops.
            damagedFiles.add(t.file());
            throw new IOException("restore stopped: cannot write " + t.file() + ": " + e.getMessage()
                    + " (the incomplete file was removed)", e);
        } finally {
            lock.unlock();
        }
        bytes.addAndGet(length);
    }

    /**
     * Writes {@code plain[0, length)} at {@code pos}, in 1 MiB slices: the JDK copies each heap buffer into a
     * temporary direct buffer of its size, and caches only small ones (the launcher's jdk.nio.maxCachedBufferSize);
     * whole blobs of up to 8 MiB would cost an mmap, page faults and a munmap per write.
     */
    private static void writeAt(FileChannel ch, byte[] plain, int length, long pos) throws IOException {
        for (int off = 0; off < length; ) {
            ByteBuffer bb = ByteBuffer.wrap(plain, off, Math.min(WRITE_SLICE, length - off));
            while (bb.hasRemaining()) {
                int n = ch.write(bb, pos);
                pos += n;
                off += n;
            }
        }
    }

    /**
     * Writes into one file take turns: buffered writes hold the file's inode lock, and a second writer spins on it in
     * the kernel (10 % of the CPU restoring one 2 GiB file, perf: rwsem_spin_on_owner) while it could be decrypting
     * and decompressing the next blob. Waiting here parks the thread instead. Striped by path: files are many.
     */
    private java.util.concurrent.locks.Lock writeLock(Path file) {
        return writeLocks[Math.floorMod(file.hashCode(), writeLocks.length)];
    }

    private final java.util.concurrent.locks.Lock[] writeLocks = java.util.stream.Stream
            .generate(java.util.concurrent.locks.ReentrantLock::new).limit(256).toArray(java.util.concurrent.locks.Lock[]::new);

    private void applyMetadata(Path real, Node node) {
        Metadata m = node.meta();
        try {
            Path path = fs.of(real);
            if (root) {
                restoreOwnership(path, m);
            }
            for (var x : m.xattrs()) { // after chown, which clears security.capability
                try {
                    dev.kiln.core.xattr.ExtendedAttributes.write(path, x);
                } catch (dev.kiln.core.xattr.ExtendedAttributes.UnsupportedException e) {
                    if (xattrsUnsupported.compareAndSet(false, true)) {
                        synchronized (warnings) {
                            warnings.add(e.getMessage() + "; extended attributes are not restored there");
                        }
                    }
                    break;
                }
            }
            if (!(node instanceof Node.Symlink)) {
                Files.setAttribute(path, "unix:mode", m.mode());
            }
            // utimensat on the path: the JDK's setTimes opens the file, which blocks on a FIFO and fails on an
            // entry whose (just restored) mode denies reading, such as a mode-000 directory
            NativeFiles.setMtime(path, m.mtimeSeconds(), m.mtimeNanos());
        } catch (IOException | UnsupportedOperationException e) {
            error("cannot set metadata of " + real + ": " + e.getMessage());
        }
    }

    private static final int WRITE_SLICE = 1 << 20;
    private static final byte[] ZEROS = new byte[64 * 1024];

    private static boolean isZero(byte[] b, int length) {
        for (int off = 0; off < length; off += ZEROS.length) {
            int n = Math.min(ZEROS.length, length - off);
            if (!Arrays.equals(b, off, off + n, ZEROS, 0, n)) {
                return false;
            }
        }
        return true;
    }

    /** A file whose content cannot be restored exactly: named, and removed at the end rather than left wrong. */
    private void damaged(Path file, String why) {
        error("not restored, damaged in the repository: " + file + ": " + why);
        damagedFiles.add(file);
    }

    private final java.util.Set<Path> damagedFiles = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Files where zero blocks were left as holes. */
    private final java.util.Set<Path> withHoles = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Map<String, java.util.OptionalInt> users = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, java.util.OptionalInt> groups = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Sets owner and group without following links, in one lchown: by name when the name exists on this system
     * (unless --numeric-owner), otherwise by the recorded id.
     */
    private void restoreOwnership(Path path, Metadata m) throws IOException {
        int uid = options.numericOwner() ? m.uid() : idOf(users, m.user(), NativeFiles::userId).orElse(m.uid());
        int gid = options.numericOwner() ? m.gid() : idOf(groups, m.group(), NativeFiles::groupId).orElse(m.gid());
        NativeFiles.lchown(path, uid, gid);
    }

    /** A user or group id of this system by name, looked up once per name; empty when unknown here. */
    private static java.util.OptionalInt idOf(Map<String, java.util.OptionalInt> cache, String name,
                                              java.util.function.Function<String, java.util.OptionalInt> lookup) {
        if (name.isEmpty()) {
            return java.util.OptionalInt.empty();
        }
        return cache.computeIfAbsent(name, lookup);
    }

    private void error(String message) {
        synchronized (errors) {
            errors.add(message);
        }
    }
}
