package dev.kiln.core.backup;

import dev.kiln.core.fsname.PathAccess;
import dev.kiln.core.fsname.RawNames;
import dev.kiln.core.fsname.SymbolicLinks;
import dev.kiln.core.chunk.FastCdcChunker;
import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.BlobIdentifier;
import dev.kiln.core.pack.BlobType;
import dev.kiln.core.repo.BlobSaver;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.SnapshotRef;
import dev.kiln.core.snapshot.FileName;
import dev.kiln.core.snapshot.Metadata;
import dev.kiln.core.snapshot.Node;
import dev.kiln.core.snapshot.Snapshot;
import dev.kiln.core.snapshot.TreeCodec;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Backs up file trees into a repository as one snapshot.
 *
 * <p>The walking thread lists directories, reads files and cuts them into chunks; a pool of workers hashes,
 * compresses and seals the chunks and hands them to the {@link BlobSaver}, whose thread stores packs; a single
 * tree thread assembles each directory's tree once the ids of its contents are known, in post-order. Chunks in
 * flight are bounded by {@link #IN_FLIGHT_BYTES} (a chunk larger than that, which a chunker maximum above it allows,
 * is in flight alone), so memory does not depend on the size of the files.
 *
 * <p>A regular file whose size, mtime, ctime, inode and device equal those of the same path in the parent
 * snapshot is not read: its blob list is reused, provided every blob is still in the index.
 */
public final class Archiver {
    static final int IN_FLIGHT_BYTES = 32 * 1024 * 1024;
    /**
     * Walker threads: on a cold cache the walk waits on inode reads, and more of them in flight finish sooner
     * (no-change src backup, 78k files, cold: 2 walkers 2.8-3.2 s, 8 walkers 2.3-2.4 s, 16 no better).
     */
    static final int WALK_THREADS = 8;
    /** Large files read at once (each holds a read buffer of two maximum chunks), whatever the number of walkers. */
    static final int LARGE_FILE_READERS = 2;
    private static final int MIN_TASK_WEIGHT = 4096;
    /**
     * Finished tasks give their bytes back in batches of at least this much: given back one file at a time, each
     * small file woke a walker blocked on the budget (~80,000 wake-ups in an initial backup of src, ~4 % of its CPU).
     * A task never weighs more than the budget less one batch, so a waiting walker always gets its bytes once the
     * tasks in flight are done.
     */
    static final int RELEASE_BATCH = 1 << 20;

    private final Repository repo;
    private final BackupOptions options;
    private final Consumer<String> warningSink;
    private final List<String> warnings = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    /** Regular files with several links, by (device, inode): their content is read once. */
    private final Map<String, Content> hardlinks = new java.util.concurrent.ConcurrentHashMap<>();
    /** Walks directories in parallel (lstat, listxattr and readdir latencies overlap); see {@link #walkDirectory}. */
    private final java.util.concurrent.ForkJoinPool walkers = new java.util.concurrent.ForkJoinPool(WALK_THREADS);
    /** Reaches paths longer than PATH_MAX; every file-system call takes {@code fs.of(path)}, messages the real path. */
    private final PathAccess fs = new PathAccess();
    private final ExcludeFilter excludes;
    private final FastCdcChunker chunker;
    private final FileStat.Names names = new FileStat.Names();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT_BYTES);
    private final AtomicLong unreleased = new AtomicLong();
    private final ThreadLocal<BlobIdentifier> identifiers;
    private final BlobIdentifier treeIdentifier;
    private final AtomicLong treesReused = new AtomicLong();
    private final ExecutorService workers;
    private final ExecutorService treeWriter;
    /** Read buffers for large files, made when first needed; at most {@link #LARGE_FILE_READERS}. */
    private final java.util.concurrent.BlockingQueue<byte[]> buffers = new java.util.concurrent.LinkedBlockingQueue<>();
    private final Semaphore largeFileReaders = new Semaphore(LARGE_FILE_READERS);
    private BlobSaver saver;
    /**
     * The index holds every blob of the parent snapshot (recorded when this cache saw it made, nothing removed
     * since): the blobs of an unchanged file, or of an unchanged directory's tree, need no lookup.
     */
    private boolean parentComplete;

    private final AtomicLong filesNew = new AtomicLong();
    private final AtomicLong filesChanged = new AtomicLong();
    private final AtomicLong filesUnchanged = new AtomicLong();
    private final AtomicLong dirs = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bytesTotal = new AtomicLong();

    public Archiver(Repository repo, BackupOptions options, Consumer<String> warningSink) {
        this.repo = repo;
        this.options = options;
        this.warningSink = warningSink;
        this.excludes = new ExcludeFilter(options.excludes());
        this.chunker = repo.chunker();
        this.identifiers = ThreadLocal.withInitial(repo::newIdentifier);
        this.treeIdentifier = repo.newIdentifier();
        this.workers = Executors.newFixedThreadPool(options.workers(), daemon("kiln-backup-worker"));
        this.treeWriter = Executors.newSingleThreadExecutor(daemon("kiln-tree-writer"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The latest snapshot of the same host and the same paths, if any. */
    public static Optional<SnapshotRef> findParent(Repository repo, String hostname, List<Path> paths) throws IOException {
        List<String> wanted = absolute(paths).stream().map(Path::toString).sorted().toList();
        List<SnapshotRef> all = repo.listSnapshots();
        for (int i = all.size() - 1; i >= 0; i--) {
            Snapshot s = all.get(i).snapshot();
            if (s.hostname().equals(hostname) && s.paths().stream().sorted().toList().equals(wanted)) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    private static List<Path> absolute(List<Path> paths) {
        return paths.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
    }

    /** Runs the backup and saves the snapshot. */
    public BackupResult run() throws IOException {
        Instant start = repo.clock().instant();
        long t0 = System.nanoTime();
        List<Path> paths = absolute(options.paths());
        for (Path p : paths) {
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(p.toString(), null, "no such file or directory");
            }
        }
        try (BlobSaver s = repo.newSaver()) {
            this.saver = s;
            ParentTree parentRoot = options.parent().isPresent() && !options.force()
                    ? ParentTree.of(BlobId.parse(options.parent().get().snapshot().tree()), repo)
                    : ParentTree.NONE;
            parentComplete = parentRoot != ParentTree.NONE && repo.index().isComplete(options.parent().get().id());
            Future<BlobId> root = await(walkers.submit(() -> walkVirtual(Path.of("/"), targets(paths), parentRoot)));
            BlobId rootId = await(root);
            saver.flush();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            Snapshot.Summary summary = new Snapshot.Summary(filesNew.get(), filesChanged.get(), filesUnchanged.get(),
                    dirs.get(), bytesRead.get(), bytesTotal.get(), saver.blobsAdded(), saver.bytesAdded(),
                    saver.bytesStored(), warnings.size(), millis, !warnings.isEmpty());
            Snapshot snapshot = new Snapshot(1, start.toString(), rootId.hex(), paths.stream().map(Path::toString).toList(),
                    options.hostname(), options.username(), options.tags(),
                    options.parent().map(SnapshotRef::id).orElse(null), summary);
            String id = repo.saveSnapshot(snapshot);
            try {
                repo.index().recordComplete(id); // its blobs are all in the index now (the saver flushed)
            } catch (IOException e) {
                notices.add("could not note in the index cache that snapshot " + id.substring(0, 8)
                        + " is complete (the next backup looks up its blobs): " + message(e));
            }
            return new BackupResult(id, snapshot, warnings, notices, treesReused.get());
        } finally {
            walkers.shutdownNow();
            workers.shutdownNow();
            treeWriter.shutdownNow();
            fs.close();
        }
    }

    /** The backup targets as a tree of path components; a leaf (empty map) is a target to walk in full. */
    private static Map<String, Object> targets(List<Path> paths) {
        Map<String, Object> root = new TreeMap<>();
        for (Path p : paths) {
            Map<String, Object> level = root;
            if (p.getNameCount() == 0) {
                return Map.of(); // "/" itself: everything
            }
            for (int i = 0; i < p.getNameCount(); i++) {
                String part = p.getName(i).toString();
                boolean last = i == p.getNameCount() - 1;
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) level.get(part);
                if (next != null && next.isEmpty()) {
                    break; // an ancestor is already a full target
                }
                if (last) {
                    level.put(part, Map.of());
                } else {
                    if (next == null) {
                        next = new TreeMap<>();
                        level.put(part, next);
                    }
                    level = next;
                }
            }
        }
        return root;
    }

    /**
     * A directory on the way to the targets: only the children leading to targets are recorded, and the
     * directory's own metadata is taken from the file system. An empty map means: walk this directory in full.
     */
    @SuppressWarnings("unchecked")
    private Future<BlobId> walkVirtual(Path dir, Map<String, Object> children, ParentTree parent) throws IOException {
        if (children.isEmpty()) {
            return walkDirectory(dir, parent, FileStat.of(fs.of(dir)).device());
        }
        List<Pending> pending = new ArrayList<>();
        List<java.util.concurrent.ForkJoinTask<?>> forked = new ArrayList<>();
        for (Map.Entry<String, Object> e : children.entrySet()) {
            Path child = dir.resolve(e.getKey());
            FileName name = FileName.of(e.getKey());
            Map<String, Object> below = (Map<String, Object>) e.getValue();
            FileStat st = FileStat.of(fs.of(child));
            if (below.isEmpty()) {
                Pending p = entry(child, name, st, parent.get(name), st.device(), forked);
                if (p != null) {
                    pending.add(p);
                }
            } else {
                Metadata meta = st.metadata(names, child, fs.of(child), this::warn, null);
                Future<BlobId> subtree = walkVirtual(child, below, subtreeOf(parent.get(name)));
                pending.add(() -> new Node.Directory(name, meta, await(subtree)));
            }
        }
        joinAll(forked);
        return saveTree(pending, parent);
    }

    static final String CACHEDIR_TAG = "CACHEDIR.TAG";
    private static final byte[] CACHEDIR_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55".getBytes(StandardCharsets.US_ASCII);

    /** A directory holding a CACHEDIR.TAG that starts with the signature of the Cache Directory Tagging spec. */
    private boolean isCacheDirectory(Path dir) {
        try (var in = Files.newInputStream(fs.of(dir).resolve(CACHEDIR_TAG), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return Arrays.equals(in.readNBytes(CACHEDIR_SIGNATURE.length), CACHEDIR_SIGNATURE);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Walks one directory on a walker thread: its subdirectories are forked to the walker pool, and joined before
     * this directory's tree is handed to the tree thread, so that the tree thread always receives a directory
     * after everything below it (it resolves trees in the order it receives them).
     * @param device the device of the backup target, for --one-file-system
     */
    private Future<BlobId> walkDirectory(Path dir, ParentTree parent, long device) throws IOException {
        dirs.incrementAndGet();
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(fs.of(dir))) {
            // the stream names children by the path it was given; kiln works with the real ones (same bytes)
            stream.forEach(c -> children.add(dir.resolve(c.getFileName())));
        } catch (IOException | java.nio.file.DirectoryIteratorException e) {
            warn("cannot list directory " + dir + ": " + message(e));
        }
        boolean cache = options.excludeCaches() && isCacheDirectory(dir);
        List<Pending> pending = new ArrayList<>(children.size());
        List<java.util.concurrent.ForkJoinTask<?>> forked = new ArrayList<>();
        for (Path child : children) {
            if (excludes.matches(child) || (cache && !child.getFileName().toString().equals(CACHEDIR_TAG))) {
                continue;
            }
            String decoded = child.getFileName().toString();
            // The JDK shows names as UTF-8 strings; a name that is not UTF-8 is taken byte for byte from the URI.
            FileName name = FileName.of(decoded.indexOf('\uFFFD') >= 0 ? RawNames.bytesOf(child) : decoded.getBytes(StandardCharsets.UTF_8));
            FileStat st;
            try {
                st = FileStat.of(fs.of(child));
            } catch (NoSuchFileException e) {
                notice("vanished during backup: " + child);
                continue;
            } catch (IOException e) {
                warn("cannot read attributes of " + child + ": " + message(e));
                continue;
            }
            Pending p = entry(child, name, st, parent.get(name), device, forked);
            if (p != null) {
                pending.add(p);
            }
        }
        joinAll(forked);
        return saveTree(pending, parent);
    }

    private static void joinAll(List<java.util.concurrent.ForkJoinTask<?>> tasks) throws IOException {
        for (java.util.concurrent.ForkJoinTask<?> t : tasks) {
            await(t);
        }
    }

    /** The pending node for one directory entry, or null when it is skipped (with a warning). */
    private Pending entry(Path path, FileName name, FileStat st, Node previous, long device,
                          List<java.util.concurrent.ForkJoinTask<?>> forked) throws IOException {
        Metadata meta = st.metadata(names, path, fs.of(path), this::warn, previous == null ? null : previous.meta());
        switch (st.type()) {
            case FileStat.S_IFREG -> {
                if (options.excludeLargerThan() > 0 && st.size() > options.excludeLargerThan()) {
                    return null;
                }
                bytesTotal.addAndGet(st.size());
                if (previous instanceof Node.File old && unchanged(old, st)) {
                    filesUnchanged.incrementAndGet();
                    return () -> new Node.File(name, meta, old.size(), old.content());
                }
                AtomicLong counter = previous instanceof Node.File ? filesChanged : filesNew;
                String inode = st.links() > 1 ? st.device() + ":" + st.inode() : null;
                Content content = inode == null ? null : hardlinks.get(inode);
                if (content == null) {
                    try {
                        content = st.size() <= chunker.maxSize() ? submitSmallFile(path, st) : readLargeFile(path, st);
                    } catch (FileReadException e) {
                        warnUnreadable(path, e.getCause());
                        return null;
                    }
                    if (inode != null) {
                        hardlinks.putIfAbsent(inode, content); // the other names of this file are not read again
                    }
                }
                Content fileContent = content;
                return () -> {
                    FileContent c;
                    try {
                        c = fileContent.get();
                    } catch (FileReadException e) {
                        warnUnreadable(path, e.getCause());
                        return null;
                    }
                    counter.incrementAndGet();
                    if (c.changing()) {
                        warn("changed while being read (twice); stored as read: " + path);
                    }
                    return new Node.File(name, meta, c.size(), c.ids());
                };
            }
            case FileStat.S_IFDIR -> {
                if (options.oneFileSystem() && st.device() != device) {
                    Future<BlobId> empty = saveTree(List.of(), ParentTree.NONE); // a mount point: recorded, not entered
                    return () -> new Node.Directory(name, meta, await(empty));
                }
                java.util.concurrent.ForkJoinTask<Future<BlobId>> walk = java.util.concurrent.ForkJoinTask.adapt(
                        () -> walkDirectory(path, subtreeOf(previous), device)).fork();
                forked.add(walk);
                return () -> new Node.Directory(name, meta, await(await(walk)));
            }
            case FileStat.S_IFLNK -> {
                byte[] target;
                try {
                    target = SymbolicLinks.read(fs.of(path));
                } catch (IOException e) {
                    warn("cannot read symlink " + path + ": " + message(e));
                    return null;
                }
                return () -> new Node.Symlink(name, meta, target);
            }
            case FileStat.S_IFIFO -> {
                return () -> new Node.Special(name, meta, Node.SpecialKind.FIFO, st.rdev());
            }
            case FileStat.S_IFCHR -> {
                return () -> new Node.Special(name, meta, Node.SpecialKind.CHAR_DEVICE, st.rdev());
            }
            case FileStat.S_IFBLK -> {
                return () -> new Node.Special(name, meta, Node.SpecialKind.BLOCK_DEVICE, st.rdev());
            }
            case FileStat.S_IFSOCK -> {
                return () -> new Node.Special(name, meta, Node.SpecialKind.SOCKET, st.rdev());
            }
            default -> {
                warn("unknown file type " + Integer.toOctalString(st.type()) + ": " + path);
                return null;
            }
        }
    }

    private boolean unchanged(Node.File old, FileStat st) {
        Metadata m = old.meta();
        if (old.size() != st.size() || m.inode() != st.inode() || m.device() != st.device()
                || m.mtimeSeconds() != st.mtime().getEpochSecond() || m.mtimeNanos() != st.mtime().getNano()
                || m.ctimeSeconds() != st.ctime().getEpochSecond() || m.ctimeNanos() != st.ctime().getNano()) {
            return false;
        }
        return parentComplete || old.content().stream().allMatch(saver::isKnown);
    }

    private ParentTree subtreeOf(Node previous) {
        if (previous instanceof Node.Directory d) {
            try {
                return ParentTree.of(d.subtree(), repo);
            } catch (IOException e) {
                warn("cannot load the parent snapshot's tree " + d.subtree() + " (" + message(e) + "); reading everything below " + d.name());
            }
        }
        return ParentTree.NONE;
    }

    /** The same directory in the parent snapshot: its tree id and nodes (sorted by name, as stored). */
    private record ParentTree(BlobId id, List<Node> nodes, Map<FileName, Node> byName) {
        static final ParentTree NONE = new ParentTree(null, List.of(), Map.of());

        static ParentTree of(BlobId id, Repository repo) throws IOException {
            List<Node> nodes = repo.loadTree(id);
            Map<FileName, Node> map = new HashMap<>(nodes.size() * 2);
            nodes.forEach(n -> map.put(n.name(), n));
            return new ParentTree(id, nodes, map);
        }

        Node get(FileName name) {
            return byName.get(name);
        }
    }

    /** What a file held when it was read: its size and its blobs' ids. */
    private record FileContent(long size, List<BlobId> ids, boolean changing) {
    }

    /** Whether a file's size or mtime differ from what lstat said before it was read. */
    private static boolean changedSince(Path path, FileStat before) {
        try {
            FileStat after = FileStat.of(path);
            return after.size() != before.size() || !after.mtime().equals(before.mtime());
        } catch (IOException e) {
            return true;
        }
    }

    /** A file's content, available once its chunks are saved. */
    @FunctionalInterface
    private interface Content {
        FileContent get() throws IOException;
    }

    /** Reading the file failed (as opposed to storing it): the file is skipped with a warning. */
    private static final class FileReadException extends IOException {
        FileReadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private void warnUnreadable(Path path, Throwable cause) {
        if (cause instanceof NoSuchFileException) {
            notice("vanished during backup: " + path);
        } else {
            warn("cannot read " + path + ": " + message((Exception) cause));
        }
    }

    /**
     * A file of at most one maximum chunk: a worker reads it whole and cuts it in place, so that several small
     * files are read at once (their latency overlaps) and no chunk is copied.
     */
    private Content submitSmallFile(Path path, FileStat st) throws IOException {
        int max = chunker.maxSize();
        int weight = weight(st.size()); // a file that grows beyond max is refused
        if (FileStat.Readahead.AVAILABLE && st.size() > 0) {
            FileStat.Readahead.willNeed(fs.of(path));
        }
        acquire(weight);
        Future<FileContent> f = workers.submit(() -> {
            try {
                Path access = fs.of(path);
                Read data = readSmall(access, max, st.size());
                bytesRead.addAndGet(data.length());
                boolean changing = changedSince(access, st);
                if (changing) { // read it once more; keep the second reading either way
                    FileStat again = FileStat.of(access);
                    data = readSmall(access, max, again.size());
                    bytesRead.addAndGet(data.length());
                    changing = changedSince(access, again);
                }
                BlobIdentifier identifier = identifiers.get();
                List<BlobId> ids = new ArrayList<>(1);
                byte[] bytes = data.bytes();
                int off = 0;
                while (off < data.length()) {
                    int n = chunker.cut(bytes, off, data.length() - off);
                    BlobId id = identifier.identify(bytes, off, n);
                    saver.save(BlobType.DATA, id, bytes, off, n); // seals in this thread: the buffer is free after
                    ids.add(id);
                    off += n;
                }
                return new FileContent(data.length(), ids, changing);
            } finally {
                release(weight);
            }
        });
        return () -> await(f);
    }

    /**
     * Reads up to {@code len} bytes (fewer only at the end of the file), in 1 MiB slices: the JDK copies through a
     * temporary direct buffer of the request's size and keeps only small ones (the launcher's
     * jdk.nio.maxCachedBufferSize), so a 16 MiB read would cost an mmap, page faults and a munmap.
     */
    private static int readFully(FileChannel ch, byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            ByteBuffer bb = ByteBuffer.wrap(b, off + done, Math.min(READ_SLICE, len - done));
            int n = ch.read(bb);
            if (n < 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    private static final int READ_SLICE = 1 << 20;

    /** The first {@code length} bytes of {@code bytes}: a file as read. */
    private record Read(byte[] bytes, int length) {
    }

    /**
     * Workers read files of up to this size into a buffer each keeps (most files of a source tree): a new array per
     * file was as many bytes allocated, zeroed and collected as the backup reads.
     */
    static final int KEPT_READ_BUFFER = 1 << 20;
    private final ThreadLocal<byte[]> readBuffers = ThreadLocal.withInitial(() -> new byte[KEPT_READ_BUFFER]);

    /**
     * Reads the {@code size} bytes lstat gave for a file (fewer if it shrank: a file whose size or mtime then differ
     * from lstat's is read again by the caller), into this worker's buffer when they fit.
     */
    private Read readSmall(Path path, int max, long size) throws FileReadException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (size > max) {
                throw new IOException("grew to " + size + " bytes during the backup");
            }
            byte[] data = size <= KEPT_READ_BUFFER ? readBuffers.get() : new byte[(int) size];
            int n = readFully(ch, data, 0, (int) size);
            return new Read(data, n);
        } catch (IOException e) {
            throw new FileReadException(e);
        }
    }

    /** Reads a large file; if it changed while being read, reads it once more (the first reading's blobs stay). */
    private Content readLargeFile(Path real, FileStat st) throws IOException {
        Path path = fs.of(real);
        Content first = readLargeFileOnce(path);
        if (!changedSince(path, st)) {
            return first;
        }
        FileStat again;
        try {
            again = FileStat.of(path);
        } catch (IOException e) {
            throw new FileReadException(e);
        }
        Content second = readLargeFileOnce(path);
        boolean changing = changedSince(path, again);
        return () -> {
            FileContent c = second.get();
            return new FileContent(c.size(), c.ids(), changing);
        };
    }

    /** Reads and cuts a large file in this thread; each chunk becomes a task whose result is its blob id. */
    private Content readLargeFileOnce(Path path) throws IOException {
        List<Future<BlobId>> chunks = new ArrayList<>();
        int max = chunker.maxSize();
        long size = 0;
        byte[] buffer = takeBuffer();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            int start = 0;
            int end = 0;
            boolean eof = false;
            while (true) {
                if (!eof && end - start < max) {
                    System.arraycopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                    int n = readFully(ch, buffer, end, buffer.length - end);
                    eof = n < buffer.length - end;
                    bytesRead.addAndGet(n);
                    end += n;
                }
                if (start == end) {
                    break;
                }
                int n = chunker.cut(buffer, start, end - start);
                chunks.add(submitChunk(Arrays.copyOfRange(buffer, start, start + n)));
                start += n;
                size += n;
            }
        } catch (IOException e) {
            throw new FileReadException(e);
        } finally {
            buffers.add(buffer);
            largeFileReaders.release();
        }
        long total = size;
        return () -> {
            List<BlobId> ids = new ArrayList<>(chunks.size());
            for (Future<BlobId> f : chunks) {
                ids.add(await(f));
            }
            return new FileContent(total, ids, false);
        };
    }

    private byte[] takeBuffer() throws IOException {
        try {
            largeFileReaders.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("backup interrupted");
        }
        byte[] buffer = buffers.poll();
        return buffer != null ? buffer : new byte[2 * chunker.maxSize()];
    }

    /** What a task of this many bytes takes from the budget. */
    private static int weight(long bytes) {
        return (int) Math.min(Math.max(bytes, MIN_TASK_WEIGHT), IN_FLIGHT_BYTES - RELEASE_BATCH);
    }

    private void release(int weight) {
        if (unreleased.addAndGet(weight) >= RELEASE_BATCH) {
            long batch = unreleased.getAndSet(0); // whoever crosses the mark takes all there is; the others find less
            if (batch > 0) {
                inFlight.release((int) batch);
            }
        }
    }

    private void acquire(int weight) throws IOException {
        try {
            inFlight.acquire(weight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("backup interrupted");
        }
    }

    private Future<BlobId> submitChunk(byte[] chunk) throws IOException {
        int weight = weight(chunk.length);
        acquire(weight);
        return workers.submit(() -> {
            try {
                BlobId id = identifiers.get().identify(chunk);
                saver.save(BlobType.DATA, id, chunk, 0, chunk.length);
                return id;
            } finally {
                release(weight);
            }
        });
    }

    /**
     * Assembles a directory's tree once its entries are resolved. When every entry equals the parent snapshot's
     * (same names, metadata and content), the parent's tree is reused as it is: no encoding, no hashing.
     */
    private Future<BlobId> saveTree(List<Pending> pending, ParentTree parent) {
        return treeWriter.submit(() -> {
            List<Node> nodes = new ArrayList<>(pending.size());
            for (Pending p : pending) {
                Node n = p.resolve();
                if (n != null) {
                    nodes.add(n);
                }
            }
            if (parent.id() != null && nodes.size() == parent.nodes().size()) {
                nodes.sort(java.util.Comparator.comparing(Node::name));
                if (nodes.equals(parent.nodes()) && (parentComplete || saver.isKnown(parent.id()))) {
                    treesReused.incrementAndGet();
                    return parent.id();
                }
            }
            byte[] encoded = TreeCodec.encode(nodes);
            BlobId id = treeIdentifier.identify(encoded);
            saver.save(BlobType.TREE, id, encoded, 0, encoded.length);
            return id;
        });
    }

    /**
     * Waits for a task (a walker thread waiting on a walk helps with other walks), rethrowing what it threw.
     * ForkJoinTask rethrows a copy of the exception around the original, and adapt() wraps checked ones: unwrapped.
     */
    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("backup interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (c != null && c.getCause() != null
                    && (c.getClass() == RuntimeException.class || c instanceof UncheckedIOException || c.getClass() == c.getCause().getClass())) {
                c = c.getCause();
            }
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        }
    }

    /** Something the user should know that does not make the snapshot incomplete. */
    private void notice(String message) {
        synchronized (warnings) {
            notices.add(message);
        }
        warningSink.accept(message);
    }

    private void warn(String message) {
        synchronized (warnings) {
            warnings.add(message);
        }
        warningSink.accept(message);
    }

    private static String message(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A node whose content ids may still be computing; resolved on the tree thread (null: skipped). */
    @FunctionalInterface
    private interface Pending {
        Node resolve() throws IOException;
    }
}
