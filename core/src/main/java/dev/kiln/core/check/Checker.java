package dev.kiln.core.check;

import dev.kiln.core.crypto.IntegrityException;
import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.BlobIdentifier;
import dev.kiln.core.id.PackId;
import dev.kiln.core.index.BlobIdSet;
import dev.kiln.core.index.BlobIndex;
import dev.kiln.core.index.IndexEntry;
import dev.kiln.core.pack.BlobCodec;
import dev.kiln.core.pack.BlobType;
import dev.kiln.core.pack.PackEntry;
import dev.kiln.core.pack.PackHeader;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.SnapshotRef;
import dev.kiln.core.snapshot.Node;
import dev.kiln.core.snapshot.TreeCodec;
import dev.kiln.core.store.ObjectInfo;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.store.ObjectNotFoundException;
import dev.kiln.core.store.ReadBuffer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks a repository.
 *
 * <ol>
 *   <li>Structure: every index entry's pack exists, and its header lists exactly what the index says (read with
 *       one ranged request per pack, or as the pack is read back whole); packs no index names are hints. Every
 *       snapshot decrypts; every tree of every snapshot loads and decodes; every blob a tree references is in the
 *       index (this walk runs beside the read-back, and looks blobs up many at a time).</li>
 *   <li>Read-back (optional): selected packs are downloaded whole, their SHA-256 compared with their name, every
 *       blob authenticated, decompressed and its id recomputed. A pack that fails is read again once before it is
 *       reported, so a transient download error is not taken for damage. Packs that pass are recorded with the
 *       time in the repository's verification log.</li>
 *   <li>Damage report: for each damaged or missing pack, blob or tree, the files (and bytes) of every snapshot
 *       that it takes away.</li>
 * </ol>
 */
public final class Checker {
    private final Repository repo;
    private final CheckOptions options;
    private final List<Finding> findings = new ArrayList<>();
    /** Blobs that cannot be read, and the finding that says why. */
    private final Map<BlobId, Finding.Damage> badBlobs = new ConcurrentHashMap<>();
    private final AtomicLong packsRead = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    /** Packs read at least once (a pack read again after a failure counts once). */
    private final Set<PackId> readOnce = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<BlobIdentifier> identifiers;
    private final ThreadLocal<BlobCodec.Scratch> scratch = ThreadLocal.withInitial(BlobCodec.Scratch::offHeap);
    /**
     * Each read-back thread reads its packs into one buffer (16 MiB packs, one after another, in native memory), all
     * of them let go of when the check ends (their memory is freed once unreachable: a read-back thread that did not
     * stop, a hung remote read after a failure, still holds what it reads into).
     */
    private final ThreadLocal<ReadBuffer> packBuffers = ThreadLocal.withInitial(this::newPackBuffer);
    private final Queue<ReadBuffer> allPackBuffers = new ConcurrentLinkedQueue<>();

    public Checker(Repository repo, CheckOptions options) {
        this.repo = repo;
        this.options = options;
        this.identifiers = ThreadLocal.withInitial(repo::newIdentifier);
    }

    private ReadBuffer newPackBuffer() {
        ReadBuffer b = new ReadBuffer();
        allPackBuffers.add(b);
        return b;
    }

    public CheckReport run() throws IOException {
        try {
            return run(System.nanoTime());
        } finally {
            allPackBuffers.forEach(ReadBuffer::close);
            allPackBuffers.clear();
        }
    }

    private CheckReport run(long t0) throws IOException {
        Instant now = repo.clock().instant();
        repo.indexProblems().forEach(p -> add(new Finding.IndexFileDamaged(p)));
        // The snapshots load on the walk's thread while the packs are listed and chosen here; their damage goes
        // where it went when they loaded first.
        ExecutorService walker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kiln-check-walk");
            t.setDaemon(true);
            return t;
        });
        int at = findingCount();
        try {
            return run(t0, now, walker, walker.submit(() -> {
                List<Finding> damaged = new ArrayList<>();
                List<SnapshotRef> loaded = repo.listSnapshots(e -> damaged.add(new Finding.SnapshotDamaged(e.getMessage())));
                return new Listed(loaded, damaged, at);
            }));
        } finally {
            walker.shutdownNow();
        }
    }

    /** The snapshots, those that failed to load, and where in the findings those go. */
    private record Listed(List<SnapshotRef> snapshots, List<Finding> damaged, int at) {
    }

    private CheckReport run(long t0, Instant now, ExecutorService walker, Future<Listed> listed) throws IOException {
        // The store's listing, the index's packs and the verification log are read together (each a few cold
        // reads, one after another ~20-35 ms before the read-back could start).
        Future<Map<PackId, Long>> listing = background("kiln-check-list", () -> {
            Map<PackId, Long> sizes = new HashMap<>();
            for (ObjectInfo info : repo.store().list(ObjectKind.PACK)) {
                sizes.put(PackId.parse(info.key().name()), info.size());
            }
            return sizes;
        });
        Future<VerificationLog> logged = background("kiln-check-log", () -> VerificationLog.load(repo));
        BlobIndex index = repo.index();
        Set<PackId> indexed = index.packs();
        Map<PackId, Long> stored = await(listing);
        List<PackId> present = new ArrayList<>();
        for (PackId pack : indexed) {
            if (stored.containsKey(pack)) {
                present.add(pack);
            } else {
                markPack(new Finding.PackMissing(pack), index.entriesOf(pack));
            }
        }
        stored.forEach((pack, size) -> {
            if (!indexed.contains(pack)) {
                add(new Finding.PackUnreferenced(pack, size));
            }
        });
        VerificationLog log = await(logged);
        List<PackId> toRead = select(present, stored, log);
        // A pack that is read whole has its header compared with the index as it is read; the others have their
        // header read alone (one ranged read of the tail).
        Set<PackId> reading = new HashSet<>(toRead);
        parallel(present.stream().filter(p -> !reading.contains(p)).toList(),
                pack -> checkHeader(pack, stored.get(pack), index.entriesOf(pack)));
        Set<PackId> verified = ConcurrentHashMap.newKeySet();
        List<SnapshotRef> snapshots;
        Deferred beside = new Deferred();
        Future<Long> walked;
        int foundBefore = findingCount();
        // Largest packs first: the threads then end on small ones together, not one of them on a large one alone
        // (and those that run out of packs help with the blobs of the last ones).
        List<PackId> largestFirst = new ArrayList<>(toRead);
        largestFirst.sort(Comparator.comparing((PackId p) -> stored.get(p)).reversed());
        try (SharedWork<PackId> readBack = new SharedWork<>(options.workers(), "kiln-check")) {
            // The read-back starts before the snapshots have loaded: it does not need them.
            readBack.start(largestFirst, pack -> {
                if (readPack(pack, stored.get(pack), index.entriesOf(pack), readBack)) {
                    verified.add(pack);
                }
            });
            Listed l = await(listed);
            synchronized (this) {
                findings.addAll(l.at(), l.damaged());
            }
            foundBefore += l.damaged().size();
            snapshots = l.snapshots();
            // The structure walk runs beside the read-back (it is a second of tree loading on one thread). What it
            // finds is kept apart and taken only when the read-back found nothing: otherwise it walks again, after,
            // as it always did, so that trees the read-back found damaged are reported the same way.
            List<SnapshotRef> walk = snapshots;
            walked = toRead.isEmpty() ? null : walker.submit(() -> walkStructure(walk, beside));
            readBack.await();
        }
        if (!toRead.isEmpty()) {
            verified.forEach(p -> log.record(p, now));
            log.save(stored.keySet(), now);
        }
        long trees;
        Long besideTrees = walked == null ? null : await(walked);
        if (besideTrees != null && findingCount() == foundBefore) {
            beside.merge();
            trees = besideTrees;
        } else {
            trees = walkStructure(snapshots, direct);
        }
        attribute(snapshots);

        long packBytes = present.stream().mapToLong(stored::get).sum();
        double coverage = -1;
        if (options.maxAge().isPresent()) {
            Instant since = now.minus(options.maxAge().get());
            long covered = present.stream().filter(p -> !log.lastVerified(p).isBefore(since)).mapToLong(stored::get).sum();
            coverage = packBytes == 0 ? 1.0 : (double) covered / packBytes;
        }
        return new CheckReport(snapshots.size(), trees, present.size(), packBytes, packsRead.get(), bytesRead.get(),
                coverage, findings, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Runs {@code task} on a thread of its own. */
    private static <T> Future<T> background(String name, java.util.concurrent.Callable<T> task) {
        java.util.concurrent.FutureTask<T> f = new java.util.concurrent.FutureTask<>(task);
        Thread t = new Thread(f, name);
        t.setDaemon(true);
        t.start();
        return f;
    }

    private synchronized void add(Finding f) {
        findings.add(f);
    }

    private synchronized int findingCount() {
        return findings.size();
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("check interrupted");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException re -> throw re;
                case Error err -> throw err;
                default -> throw new IOException(e.getCause());
            }
        }
    }

    /** Where the structure walk records what it finds. */
    private interface Sink {
        boolean isBad(BlobId id);

        void damage(BlobId id, Finding.Damage d);

        void add(Finding f);
    }

    /** Straight into the report. */
    private final Sink direct = new Sink() {
        @Override
        public boolean isBad(BlobId id) {
            return badBlobs.containsKey(id);
        }

        @Override
        public void damage(BlobId id, Finding.Damage d) {
            badBlobs.put(id, d);
            Checker.this.add(d);
        }

        @Override
        public void add(Finding f) {
            Checker.this.add(f);
        }
    };

    /** Kept apart until {@link #merge}; used by one thread. */
    private final class Deferred implements Sink {
        private final Map<BlobId, Finding.Damage> bad = new HashMap<>();
        private final List<Finding> found = new ArrayList<>();

        @Override
        public boolean isBad(BlobId id) {
            return bad.containsKey(id) || badBlobs.containsKey(id);
        }

        @Override
        public void damage(BlobId id, Finding.Damage d) {
            bad.put(id, d);
            found.add(d);
        }

        @Override
        public void add(Finding f) {
            found.add(f);
        }

        /** Into the report. */
        void merge() {
            badBlobs.putAll(bad);
            found.forEach(Checker.this::add);
        }
    }

    private void markPack(Finding.Damage finding, List<PackEntry> entries) {
        add(finding);
        entries.forEach(e -> badBlobs.putIfAbsent(e.id(), finding));
    }

    /** One ranged read of the pack's tail: trailer and header, {@link #compareHeader compared} with the index. */
    private void checkHeader(PackId pack, long size, List<PackEntry> indexed) throws IOException {
        ObjectKey key = ObjectKey.of(ObjectKind.PACK, pack.hex());
        int expectedHeader = PackHeader.sealedSize(indexed.size());
        long tail = Math.min(size, expectedHeader + 4L);
        List<PackEntry> header;
        try {
            byte[] bytes = readTwice(key, size - tail, (int) tail);
            int actual = PackHeader.sealedLength(bytes, size, pack.toString());
            if (actual != expectedHeader) {
                bytes = readTwice(key, size - actual - 4L, actual + 4);
            }
            header = PackHeader.parse(bytes, size, repo.metadataAead(), "pack " + pack);
        } catch (IntegrityException | java.io.EOFException e) {
            markPack(new Finding.PackDamaged(pack, e.getMessage()), indexed);
            return;
        }
        compareHeader(pack, size, header, indexed);
    }

    /**
     * The pack's header (authenticated) lists exactly what the index places in the pack, and the pack's size is
     * that of its blobs and header. Index entries the header lacks are damage (their blobs cannot be read).
     */
    private void compareHeader(PackId pack, long size, List<PackEntry> header, List<PackEntry> indexed) {
        int expectedHeader = PackHeader.sealedSize(indexed.size());
        boolean same = header.equals(indexed); // the usual case: the index lists the header's entries in its order
        if (!same) {
            Set<PackEntry> inHeader = new HashSet<>(header);
            Set<PackEntry> inIndex = new HashSet<>(indexed);
            same = inHeader.equals(inIndex);
            if (!same) {
                long onlyIndex = inIndex.stream().filter(e -> !inHeader.contains(e)).count();
                long onlyHeader = inHeader.stream().filter(e -> !inIndex.contains(e)).count();
                add(new Finding.IndexDisagrees(pack, onlyIndex + " index entries are not in the pack header, "
                        + onlyHeader + " header entries are in no index file"));
                Finding.Damage damage = new Finding.PackDamaged(pack, "its header does not list blobs the index places in it");
                boolean any = false;
                for (PackEntry e : indexed) {
                    if (!inHeader.contains(e)) {
                        badBlobs.putIfAbsent(e.id(), damage);
                        any = true;
                    }
                }
                if (any) {
                    add(damage);
                }
            }
        }
        long dataEnd = header.stream().mapToLong(e -> e.offset() + (long) e.length()).max().orElse(0);
        if (same && dataEnd + expectedHeader + 4 != size) {
            add(new Finding.IndexDisagrees(pack, "size " + size + " does not match its blobs and header (" + (dataEnd + expectedHeader + 4) + ")"));
        }
    }

    private byte[] readTwice(ObjectKey key, long offset, int length) throws IOException {
        try {
            return repo.store().get(key, offset, length);
        } catch (ObjectNotFoundException | java.io.EOFException e) {
            throw e;
        } catch (IOException transientMaybe) {
            return repo.store().get(key, offset, length);
        }
    }

    private List<PackId> select(List<PackId> present, Map<PackId, Long> sizes, VerificationLog log) {
        return switch (options.readData()) {
            case ReadSelection.None n -> List.of();
            case ReadSelection.All a -> present;
            case ReadSelection.Slice s -> present.stream().filter(s::contains).toList();
            case ReadSelection.Percent p -> present.stream().filter(p::contains).toList();
            case ReadSelection.Budget b -> {
                List<PackId> order = new ArrayList<>(present);
                order.sort(Comparator.comparing(log::lastVerified).thenComparing(PackId::hex));
                List<PackId> chosen = new ArrayList<>();
                long total = 0;
                for (PackId p : order) {
                    long size = sizes.get(p);
                    if (!chosen.isEmpty() && total + size > b.bytes()) {
                        break;
                    }
                    chosen.add(p);
                    total += size;
                }
                yield chosen;
            }
        };
    }

    /** Reads a pack whole and verifies everything in it; re-reads once before reporting damage. */
    private boolean readPack(PackId pack, long listedSize, List<PackEntry> indexed, SharedWork<?> work) throws IOException {
        String first = verifyPack(pack, listedSize, indexed, false, work);
        if (first == null) {
            return true;
        }
        String second = verifyPack(pack, listedSize, indexed, true, work);
        return second == null;
    }

    /** @return null when the pack is sound; otherwise what was wrong (and, on the final try, findings are added) */
    private String verifyPack(PackId pack, long listedSize, List<PackEntry> indexed, boolean report, SharedWork<?> work)
            throws IOException {
        ObjectKey key = ObjectKey.of(ObjectKind.PACK, pack.hex());
        ReadBuffer buffer = packBuffers.get();
        try {
            // The size the listing gave: a body cut off in transit is then a short read, retried by the store, not
            // a pack that fails its hash.
            repo.store().getInto(key, 0, Math.toIntExact(listedSize), buffer);
        } catch (ObjectNotFoundException e) {
            if (report) {
                markPack(new Finding.PackMissing(pack), indexed);
            }
            return "missing";
        } catch (java.io.EOFException e) {
            String why = "shorter than the " + listedSize + " bytes listed";
            if (report) {
                markPack(new Finding.PackDamaged(pack, why), indexed);
            }
            return why;
        } catch (IOException e) {
            if (report) {
                throw e; // the store failed twice: not a statement about the data
            }
            return e.getMessage();
        }
        MemorySegment bytes = buffer.contents();
        int size = buffer.length();
        if (readOnce.add(pack)) {
            packsRead.incrementAndGet();
            bytesRead.addAndGet(size);
        }
        List<String> problems = new ArrayList<>();
        if (!PackId.of(bytes).equals(pack)) {
            problems.add("content does not match its name");
        }
        List<PackEntry> entries = indexed;
        List<PackEntry> header = null;
        try {
            entries = header = PackHeader.parse(bytes, size, repo.metadataAead(), "pack " + pack);
        } catch (IntegrityException e) {
            problems.add("header: " + e.getMessage());
        }
        Map<BlobId, String> badInPack = new ConcurrentHashMap<>();
        List<PackEntry> blobs = entries;
        int[] starts = slices(blobs);
        work.share(starts.length - 1, s -> verifyBlobs(blobs.subList(starts[s], starts[s + 1]), bytes, size, badInPack));
        boolean sound = problems.isEmpty() && badInPack.isEmpty();
        if (header != null && (sound || report)) { // on the read whose outcome is reported
            compareHeader(pack, size, header, indexed);
        }
        if (sound) {
            return null;
        }
        if (report) {
            if (!problems.isEmpty()) {
                Finding.Damage packDamage = new Finding.PackDamaged(pack, String.join("; ", problems));
                add(packDamage);
                if (problems.stream().anyMatch(p -> p.startsWith("header"))) {
                    indexed.forEach(e -> badBlobs.putIfAbsent(e.id(), packDamage));
                }
            }
            badInPack.forEach((id, why) -> {
                Finding.Damage d = new Finding.BlobDamaged(id, pack, why);
                add(d);
                badBlobs.putIfAbsent(id, d);
            });
        }
        return problems.isEmpty() ? badInPack.size() + " damaged blobs" : String.join("; ", problems);
    }

    /** Stored bytes per slice of a pack's blobs that idle read-back threads may take (a few ms of work). */
    private static final int SLICE_BYTES = 512 * 1024;

    /** Where each slice of {@code entries} starts, and (last) their end: runs of about {@link #SLICE_BYTES}. */
    static int[] slices(List<PackEntry> entries) {
        int[] starts = new int[entries.size() + 1];
        int n = 0;
        long bytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (i == 0 || bytes >= SLICE_BYTES) {
                starts[n++] = i;
                bytes = 0;
            }
            bytes += entries.get(i).length();
        }
        starts[n++] = entries.size();
        return java.util.Arrays.copyOf(starts, n);
    }

    /** Authenticates, decompresses and identifies each blob of {@code entries}; what fails goes to {@code bad}. */
    private void verifyBlobs(List<PackEntry> entries, MemorySegment pack, int size, Map<BlobId, String> bad) {
        BlobCodec codec = repo.codec();
        BlobCodec.Scratch buffers = scratch.get();
        BlobIdentifier identifier = identifiers.get();
        for (PackEntry e : entries) {
            try {
                if (e.offset() + (long) e.length() > size) {
                    throw new IntegrityException("beyond the end of the pack");
                }
                int length = codec.openInto(e, pack.asSlice(e.offset(), e.length()), buffers);
                BlobId actual = identifier.identify(buffers.plainSegment().asSlice(0, length));
                if (!actual.equals(e.id())) {
                    throw new IntegrityException("content hashes to " + actual + ", not to its id");
                }
            } catch (IOException ex) {
                bad.put(e.id(), ex.getMessage());
            }
        }
    }

    /** Loads every tree once; records trees that fail and blobs in no index. Returns the number of trees. */
    private long walkStructure(List<SnapshotRef> snapshots, Sink sink) throws IOException {
        // Where each tree sits, from one pass over the index's tree entries: no lookup per tree (cold index blocks
        // made those most of the walk's time), and the trees no snapshot reaches are what is left over.
        Map<BlobId, IndexEntry> trees = new HashMap<>();
        repo.index().forEachEntry(BlobType.TREE, (pack, e) -> trees.putIfAbsent(e.id(), new IndexEntry(pack, e)));
        BlobIdSet indexed = indexedIds();
        Set<BlobId> visited = new HashSet<>();
        List<BlobId> content = new ArrayList<>();
        for (SnapshotRef s : snapshots) {
            BlobId root = BlobId.parse(s.snapshot().tree());
            visitTree(root, trees, visited, content, indexed, sink);
        }
        lookUp(content, indexed, sink);
        long unreachable = trees.keySet().stream().filter(id -> !visited.contains(id)).count();
        if (unreachable > 0) {
            sink.add(new Finding.TreesUnreachable(unreachable));
        }
        return visited.size();
    }

    /** How many file blobs the structure walk collects before it looks them up in the index, together. */
    private static final int LOOKUP_BATCH = 1 << 16;

    /**
     * Every blob id of the index in one set, from one pass over it, when the index is small enough ({@link
     * BlobIdSet#fits}); otherwise null, and the walk looks its blobs up in the index in batches.
     */
    private BlobIdSet indexedIds() {
        BlobIndex index = repo.index();
        long size = index.size();
        if (!BlobIdSet.fits(size)) {
            return null;
        }
        try {
            BlobIdSet set = new BlobIdSet(size);
            index.addIdsTo(set);
            return set;
        } catch (IllegalStateException tooMany) { // the size was an estimate
            return null;
        }
    }

    /** Walks the tree once; the blobs its files reference go into {@code content}, looked up once it is full. */
    private void visitTree(BlobId tree, Map<BlobId, IndexEntry> trees, Set<BlobId> visited, List<BlobId> content,
                           BlobIdSet indexed, Sink sink) {
        if (!visited.add(tree)) {
            return;
        }
        TreeCodec.References refs = treeReferences(tree, trees.get(tree), sink);
        if (refs == null) {
            return;
        }
        content.addAll(refs.content());
        if (content.size() >= LOOKUP_BATCH) {
            lookUp(content, indexed, sink);
        }
        for (BlobId subtree : refs.subtrees()) {
            visitTree(subtree, trees, visited, content, indexed, sink);
        }
    }

    /**
     * Records the blobs of {@code content} that no index names, and empties it. Those {@code indexed} (when given)
     * holds are there; the others, and all of them without it, are looked up together: the index sweeps them in order.
     */
    private void lookUp(List<BlobId> content, BlobIdSet indexed, Sink sink) {
        List<BlobId> unknown = content;
        if (indexed != null) {
            unknown = new ArrayList<>();
            for (BlobId id : content) {
                if (!indexed.contains(id)) {
                    unknown.add(id);
                }
            }
        }
        if (!unknown.isEmpty()) {
            for (BlobId id : repo.missingBlobs(unknown)) {
                if (!sink.isBad(id)) {
                    sink.damage(id, new Finding.BlobMissing(id));
                }
            }
        }
        content.clear();
    }

    /** The tree's nodes, or null when it cannot be read (then it is recorded as bad). */
    private List<Node> loadTree(BlobId tree, Sink sink) {
        return loadTree(tree, null, sink, repo::loadTree, repo::loadTree);
    }

    /** What the tree references (all the structure walk needs), as {@link #loadTree(BlobId, Sink)}, from {@code at} when it is given. */
    private TreeCodec.References treeReferences(BlobId tree, IndexEntry at, Sink sink) {
        return loadTree(tree, at, sink, repo::treeReferences, repo::treeReferences);
    }

    @FunctionalInterface
    private interface TreeReader<K, T> {
        T read(K where) throws IOException;
    }

    private <T> T loadTree(BlobId tree, IndexEntry at, Sink sink, TreeReader<IndexEntry, T> fromEntry, TreeReader<BlobId, T> fromId) {
        if (sink.isBad(tree)) {
            return null;
        }
        if (at != null) {
            try {
                return fromEntry.read(at);
            } catch (IOException e) {
                // then as without it: from the copy the index gives, and what fails there is reported
            }
        }
        try {
            return fromId.read(tree);
        } catch (IOException e) { // (whether the index names it is asked only now: one lookup per tree less)
            sink.damage(tree, new Finding.TreeDamaged(tree, repo.hasBlob(tree) ? e.getMessage() : "in no index file"));
            return null;
        }
    }

    /** For each snapshot, names the files and directories that damaged blobs and trees take away. */
    private void attribute(List<SnapshotRef> snapshots) {
        if (badBlobs.isEmpty()) {
            return;
        }
        Map<BlobId, Boolean> damagedBelow = new HashMap<>();
        for (SnapshotRef s : snapshots) {
            attributeTree(BlobId.parse(s.snapshot().tree()), Path.of("/"), s.shortId(), damagedBelow);
        }
    }

    private void attributeTree(BlobId tree, Path dir, String snapshot, Map<BlobId, Boolean> damagedBelow) {
        Finding.Damage bad = badBlobs.get(tree);
        if (bad != null) {
            bad.add(new Affected(snapshot, dir.toString(), -1));
            return;
        }
        if (!hasDamage(tree, damagedBelow)) {
            return;
        }
        List<Node> nodes = loadTree(tree, direct);
        if (nodes == null) {
            return;
        }
        for (Node n : nodes) {
            Path p = dir.resolve(n.name().toString());
            switch (n) {
                case Node.File f -> {
                    Map<Finding.Damage, Long> bytes = new HashMap<>();
                    for (BlobId id : f.content()) {
                        Finding.Damage d = badBlobs.get(id);
                        if (d != null) {
                            long len = repo.findBlob(id).map(e -> (long) e.entry().rawLength()).orElse(0L);
                            bytes.merge(d, len, Long::sum);
                        }
                    }
                    bytes.forEach((d, len) -> d.add(new Affected(snapshot, p.toString(), len)));
                }
                case Node.Directory d -> attributeTree(d.subtree(), p, snapshot, damagedBelow);
                default -> {
                }
            }
        }
    }

    private boolean hasDamage(BlobId tree, Map<BlobId, Boolean> memo) {
        Boolean known = memo.get(tree);
        if (known != null) {
            return known;
        }
        boolean result;
        if (badBlobs.containsKey(tree)) {
            result = true;
        } else {
            List<Node> nodes = loadTree(tree, direct);
            result = nodes == null || nodes.stream().anyMatch(n -> switch (n) {
                case Node.File f -> f.content().stream().anyMatch(badBlobs::containsKey);
                case Node.Directory d -> hasDamage(d.subtree(), memo);
                default -> false;
            });
        }
        memo.put(tree, result);
        return result;
    }

    /** Runs {@code task} for each pack on the check's threads. */
    private void parallel(List<PackId> packs, SharedWork.ItemTask<PackId> task) throws IOException {
        try (SharedWork<PackId> work = new SharedWork<>(options.workers(), "kiln-check")) {
            work.start(packs, task);
            work.await();
        }
    }
}
