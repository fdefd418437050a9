package dev.kiln.core.repo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.core.chunk.FastCdcChunker;
import dev.kiln.core.compress.ZstdCompressor;
import dev.kiln.core.crypto.Aead;
import dev.kiln.core.crypto.IntegrityException;
import dev.kiln.core.crypto.KeyFile;
import dev.kiln.core.crypto.KeyRing;
import dev.kiln.core.crypto.MasterKey;
import dev.kiln.core.crypto.WrongPasswordException;
import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.BlobIdentifier;
import dev.kiln.core.id.PackId;
import dev.kiln.core.index.BlobIndex;
import dev.kiln.core.index.IndexEntry;
import dev.kiln.core.index.IndexFile;
import dev.kiln.core.index.MemoryBlobIndex;
import dev.kiln.core.index.RocksBlobIndex;
import dev.kiln.core.pack.BlobCodec;
import dev.kiln.core.pack.PackEntry;
import dev.kiln.core.snapshot.Node;
import dev.kiln.core.snapshot.Snapshot;
import dev.kiln.core.snapshot.TreeCodec;
import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.ObjectExistsException;
import dev.kiln.core.store.ObjectInfo;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.store.ObjectNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An open repository. Loads and saves blobs, index files, snapshots and locks on a {@link BlobStore}
 * (format: docs/repository-format.md). Thread-safe.
 */
public final class Repository implements AutoCloseable {
    static final byte[] CONFIG_AAD = "kiln v1 config".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SNAPSHOT_AAD = "kiln v1 snapshot".getBytes(StandardCharsets.US_ASCII);
    static final byte[] LOCK_AAD = "kiln v1 lock".getBytes(StandardCharsets.US_ASCII);
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * Makes the JSON readers and writers of what every command reads and writes while it opens the repository (its
     * config, the lock, the snapshots), ahead of use ({@link Preload}): a first use builds them by reflection,
     * ~15 ms that the opening otherwise waits for.
     */
    static void prepareJson() {
        JSON.readerFor(RepositoryConfig.class);
        JSON.writerFor(LockInfo.class);
        JSON.readerFor(Snapshot.class);
    }
    static final HexFormat HEX = HexFormat.of();

    private final BlobStore store;
    private final RepositoryConfig config;
    private final KeyRing keys;
    private final BlobCodec codec;
    private final FastCdcChunker chunker;
    private BlobIndex index = new MemoryBlobIndex();
    /** Entries of packs stored by this process whose index file is not written yet (a few packs at most). */
    private final Map<BlobId, IndexEntry> pending = new java.util.concurrent.ConcurrentHashMap<>();
    private final Clock clock;

    private Repository(BlobStore store, RepositoryConfig config, KeyRing keys, Clock clock) {
        this.store = store;
        this.config = config;
        this.keys = keys;
        this.clock = clock;
        this.codec = new BlobCodec(keys.blobs(), new ZstdCompressor(config.compressionLevel()));
        this.chunker = new FastCdcChunker(config.chunkerParams(), keys.gearSeed());
    }

    /** Whether the store holds a repository (a config object). */
    public static boolean exists(BlobStore store) throws IOException {
        try {
            store.stat(ObjectKey.CONFIG);
            return true;
        } catch (ObjectNotFoundException e) {
            return false;
        }
    }

    /** Creates a new repository; fails with {@link RepositoryExistsException} if there is one already. */
    public static Repository init(BlobStore store, byte[] password, InitOptions options, Clock clock,
                                  String hostname, String username) throws IOException {
        if (exists(store)) {
            throw new RepositoryExistsException("a repository already exists at " + store.location());
        }
        SecureRandom random = new SecureRandom();
        byte[] repoId = new byte[32];
        random.nextBytes(repoId);
        RepositoryConfig config = new RepositoryConfig(RepositoryConfig.FORMAT_VERSION, HEX.formatHex(repoId),
                options.chunker().min(), options.chunker().avg(), options.chunker().max(), options.hash().label(),
                "zstd", options.compressionLevel(), options.packSize());
        try (MasterKey master = MasterKey.generate(random)) {
            KeyFile keyFile = KeyFile.wrap(master, password, options.kdf(), random, clock.instant(), hostname, username);
            byte[] keyBytes = keyFile.toJson();
            ObjectKey keyKey = ObjectKey.of(ObjectKind.KEY, sha256Hex(keyBytes));
            store.put(keyKey, keyBytes);
            KeyRing keys = new KeyRing(master);
            try {
                store.create(ObjectKey.CONFIG, keys.metadata().seal(JSON.writeValueAsBytes(config), CONFIG_AAD));
            } catch (ObjectExistsException e) {
                store.delete(keyKey);
                throw new RepositoryExistsException("a repository already exists at " + store.location());
            }
            return new Repository(store, config, keys, clock);
        }
    }

    /** Opens a repository with a password, and loads its index into the heap (for tests and small repositories). */
    public static Repository open(BlobStore store, byte[] password, Clock clock) throws IOException {
        return open(store, password, clock, CacheOptions.none());
    }

    /**
     * Opens a repository with the local caches of {@code cache}: the index in RocksDB under
     * {@code <root>/<repo id>/blob-index}, synchronised with the repository's index files, and for remote stores
     * copies of snapshots and tree packs.
     */
    public static Repository open(BlobStore store, byte[] password, Clock clock, CacheOptions cache)
            throws IOException {
        if (!exists(store)) {
            throw new RepositoryNotFoundException("no repository at " + store.location());
        }
        if (cache.root().isPresent()) {
            Preload.start(); // (the command line started it already, as it began)
        }
        List<ObjectInfo> keyObjects = store.list(ObjectKind.KEY);
        if (keyObjects.isEmpty()) {
            throw new IntegrityException("repository at " + store.location() + " has no key files");
        }
        IOException lastDamage = null;
        for (ObjectInfo info : keyObjects) {
            KeyFile keyFile;
            try {
                keyFile = KeyFile.parse(getContentNamed(store, info.key()));
            } catch (IntegrityException e) {
                lastDamage = e;
                continue;
            }
            MasterKey master;
            try {
                master = keyFile.unwrap(password);
            } catch (WrongPasswordException e) {
                continue;
            }
            try (master) {
                KeyRing keys = new KeyRing(master);
                byte[] plain = keys.metadata().open(store.get(ObjectKey.CONFIG), CONFIG_AAD, "config");
                RepositoryConfig config;
                try {
                    config = JSON.readValue(plain, RepositoryConfig.class);
                } catch (IOException e) {
                    throw new IntegrityException("config: damaged (" + e.getMessage() + ")", e);
                }
                if (config.version() != RepositoryConfig.FORMAT_VERSION) {
                    throw new IOException("repository format version " + config.version() + " is not supported (this kiln reads version 1)");
                }
                Repository repo = new Repository(store, config, keys, clock);
                try {
                    repo.openCaches(cache);
                    repo.syncIndex();
                } catch (IOException | RuntimeException e) {
                    repo.close();
                    throw e;
                }
                return repo;
            }
        }
        if (lastDamage != null) {
            throw new IntegrityException("no key file opens with this password, and " + lastDamage.getMessage());
        }
        throw new WrongPasswordException("wrong password: no key file of the repository opens with it");
    }

    /**
     * Loads every index file. A damaged or vanished index file does not stop the repository from opening: it is
     * recorded in {@link #indexProblems()}, and the blobs only it named look missing until {@code repair index}.
     */
    private java.util.Optional<ObjectCache> cache = java.util.Optional.empty();

    /** A content-named object, from the cache when there is one. */
    private byte[] getCached(ObjectKey key) throws IOException {
        if (cache.isPresent()) {
            byte[] b = cache.get().get(key);
            if (b != null) {
                return b;
            }
        }
        byte[] b = getContentNamed(store, key);
        cache.ifPresent(c -> c.put(key, b));
        return b;
    }

    /** The last few tree packs, verified once and kept in memory (a few tens of MiB at most). */
    private final Map<ObjectKey, byte[]> recentTreePacks = new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ObjectKey, byte[]> eldest) {
            return size() > 4;
        }
    };

    /** Tree packs that failed their name check: their trees are read one blob at a time. */
    private final java.util.Set<ObjectKey> damagedTreePacks = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private byte[] treePack(ObjectKey pack) throws IOException {
        synchronized (recentTreePacks) {
            byte[] b = recentTreePacks.get(pack);
            if (b != null) {
                return b;
            }
        }
        byte[] b = getCached(pack);
        synchronized (recentTreePacks) {
            recentTreePacks.put(pack, b);
        }
        return b;
    }

    private java.nio.file.Path temporaryIndex;
    private final List<String> cacheWarnings = new ArrayList<>();

    private void openCaches(CacheOptions options) throws IOException {
        if (options.root().isEmpty()) {
            return;
        }
        java.nio.file.Path root = options.root().get().resolve(config.id());
        if (options.copyObjects()) {
            cache = java.util.Optional.of(new ObjectCache(root));
        }
        if (options.removeOnClose()) {
            temporaryIndex = options.root().get();
        }
        try {
            index = RocksBlobIndex.open(root.resolve("blob-index"));
        } catch (RocksBlobIndex.BusyException e) {
            // Another kiln process on this machine uses the cache: work from a private copy for this run.
            java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory(options.root().get(), "index-");
            if (temporaryIndex == null) {
                temporaryIndex = tmp;
            }
            cacheWarnings.add(e.getMessage() + "; this run builds a temporary index");
            index = RocksBlobIndex.open(tmp);
        }
    }

    /** Warnings about the local cache (e.g. in use by another process), for the user. */
    public List<String> cacheWarnings() {
        return List.copyOf(cacheWarnings);
    }

    /**
     * Brings the index up to date with the repository's index files: reads only the files it has not seen;
     * when files it has seen are gone (repair, prune), starts over. A damaged or vanished index file does not
     * stop the repository from opening: it is recorded in {@link #indexProblems()}, and the blobs only it named
     * look missing until {@code repair index}.
     */
    private void syncIndex() throws IOException {
        List<ObjectInfo> listing = store.list(ObjectKind.INDEX);
        java.util.Set<String> names = new java.util.HashSet<>();
        listing.forEach(i -> names.add(i.key().name()));
        java.util.Set<String> known = index.indexFiles();
        if (!names.containsAll(known)) {
            index.clear();
            known = java.util.Set.of();
        }
        List<ObjectInfo> missing = new ArrayList<>();
        for (ObjectInfo info : listing) {
            if (!known.contains(info.key().name())) {
                missing.add(info);
            }
        }
        if (index instanceof RocksBlobIndex rocks) {
            // about 46 bytes per entry: size the Bloom filter once for everything about to be added
            rocks.reserve(missing.stream().mapToLong(ObjectInfo::size).sum() / dev.kiln.core.pack.PackEntry.ENCODED_SIZE);
        }
        int threads = Math.min(8, missing.size());
        if (threads == 0) {
            indexFiles.addAll(names);
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kiln-index-load");
            t.setDaemon(true);
            return t;
        });
        try {
            // Bounded look-ahead: at most 2 files per thread are held in memory before they are added.
            record Loading(ObjectInfo info, java.util.concurrent.Future<IndexFile> file) {
            }
            java.util.ArrayDeque<Loading> queue = new java.util.ArrayDeque<>();
            java.util.Iterator<ObjectInfo> next = missing.iterator();
            while (next.hasNext() || !queue.isEmpty()) {
                while (next.hasNext() && queue.size() < 2 * threads) {
                    ObjectInfo info = next.next();
                    queue.add(new Loading(info, pool.submit(() -> IndexFile.open(getContentNamed(store, info.key()), keys.metadata(), info.key().toString()))));
                }
                Loading loading = queue.poll();
                ObjectInfo info = loading.info();
                try {
                    IndexFile file = loading.file().get();
                    index.addIndexFile(info.key().name(), file.packs());
                    indexFiles.add(info.key().name());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IntegrityException || e.getCause() instanceof ObjectNotFoundException) {
                        indexProblems.add(e.getCause().getMessage());
                    } else if (e.getCause() instanceof IOException io) {
                        throw io;
                    } else {
                        throw new IOException("loading " + info.key() + ": " + e.getCause(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while loading the index");
        } finally {
            pool.shutdownNow();
        }
        known.stream().filter(names::contains).forEach(indexFiles::add);
    }

    /**
     * Reads a content-named object and checks it against its name, reading it a second time before calling a
     * mismatch damage (a cut-off download is not damage).
     */
    public static byte[] getContentNamed(BlobStore store, ObjectKey key) throws IOException {
        byte[] bytes = store.get(key);
        if (sha256Hex(bytes).equals(key.name())) {
            return bytes;
        }
        bytes = store.get(key);
        checkContentName(key, bytes);
        return bytes;
    }

    /** Content-named objects hold bytes whose SHA-256 is their name; anything else is damage. */
    public static void checkContentName(ObjectKey key, byte[] bytes) throws IntegrityException {
        if (!sha256Hex(bytes).equals(key.name())) {
            throw new IntegrityException(key + ": damaged (its content does not match its name)");
        }
    }

    private final List<String> indexProblems = new ArrayList<>();
    private final List<String> indexFiles = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Index files that could not be read when the repository was opened, as messages. */
    public List<String> indexProblems() {
        return List.copyOf(indexProblems);
    }

    /** Names of the index files loaded. */
    public List<String> indexFiles() {
        return List.copyOf(indexFiles);
    }

    /** Makes blobs of a pack just stored findable in this process, before an index file names the pack. */
    void addPending(PackId pack, List<PackEntry> entries) {
        entries.forEach(e -> pending.putIfAbsent(e.id(), new IndexEntry(pack, e)));
    }

    /** Records an index file just written for packs this process stored. */
    void indexWritten(String name, Map<PackId, List<PackEntry>> packs) throws IOException {
        index.addIndexFile(name, packs);
        indexFiles.add(name);
        packs.values().forEach(list -> list.forEach(e -> pending.remove(e.id())));
    }

    /** Where a blob is stored, if the index (or a pack stored by this process) names it. */
    public java.util.Optional<IndexEntry> findBlob(BlobId id) {
        java.util.Optional<IndexEntry> e = index.find(id);
        return e.isPresent() ? e : java.util.Optional.ofNullable(pending.get(id));
    }

    /** Whether the index (or a pack stored by this process) names the blob. */
    public boolean hasBlob(BlobId id) {
        return index.contains(id) || pending.containsKey(id);
    }

    /** Those of {@code ids} that {@link #hasBlob} denies, in their order, looked up together. */
    public List<BlobId> missingBlobs(List<BlobId> ids) {
        List<BlobId> missing = new ArrayList<>(index.missing(ids));
        missing.removeIf(pending::containsKey);
        return missing;
    }

    public BlobStore store() {
        return store;
    }

    public RepositoryConfig config() {
        return config;
    }

    public BlobIndex index() {
        return index;
    }

    public BlobCodec codec() {
        return codec;
    }

    public FastCdcChunker chunker() {
        return chunker;
    }

    public Aead metadataAead() {
        return keys.metadata();
    }

    public Clock clock() {
        return clock;
    }

    /** A new identifier (not thread-safe: one per thread). */
    public BlobIdentifier newIdentifier() {
        return new BlobIdentifier(config.hashAlgorithm(), keys.idKey());
    }

    /** Starts saving blobs; close it (after {@link BlobSaver#flush()}) to finish. */
    public BlobSaver newSaver() {
        return new BlobSaver(this);
    }

    /** Loads, authenticates and decompresses one blob. */
    public byte[] loadBlob(BlobId id) throws IOException {
        return loadBlob(findBlob(id).orElseThrow(() -> new IntegrityException("blob " + id + " is not in the index")));
    }

    /** Loads, authenticates and decompresses the blob the index places at {@code e}. */
    public byte[] loadBlob(IndexEntry e) throws IOException {
        BlobId id = e.entry().id();
        ObjectKey pack = ObjectKey.of(ObjectKind.PACK, e.pack().hex());
        if (e.entry().type() == dev.kiln.core.pack.BlobType.TREE && !damagedTreePacks.contains(pack)) {
            // Trees are read in bulk (a backup reads its parent's, restore and check walk them): read each tree
            // pack whole once, verified against its name, and keep the last few in memory (and in the cache).
            byte[] whole = null;
            try {
                whole = treePack(pack);
            } catch (IntegrityException damaged) {
                // One damaged tree must not take the pack's other trees with it: from now on its trees are read
                // one by one below, and each blob's own authentication decides (a flipped byte in one tree lost
                // every directory of its pack, the root's too, and a restore restored nothing).
                damagedTreePacks.add(pack);
            }
            if (whole != null) {
                if (e.entry().offset() + (long) e.entry().length() > whole.length) {
                    throw new IntegrityException("blob " + id + ": beyond the end of " + pack);
                }
                return codec.open(e.entry(), whole, e.entry().offset());
            }
        }
        byte[] sealed = store.get(pack, e.entry().offset(), e.entry().length());
        return codec.open(e.entry(), sealed, 0);
    }

    public List<Node> loadTree(BlobId id) throws IOException {
        return TreeCodec.decode(loadBlob(id), new TreeName(id));
    }

    /** The tree the index places at {@code e} (a walk over every tree looks their places up together). */
    public List<Node> loadTree(IndexEntry e) throws IOException {
        return TreeCodec.decode(loadBlob(e), new TreeName(e.entry().id()));
    }

    /** What the tree references (its subtrees and its files' blobs), checked as {@link #loadTree} checks it. */
    public TreeCodec.References treeReferences(BlobId id) throws IOException {
        return TreeCodec.references(loadBlob(id), new TreeName(id));
    }

    /** As {@link #treeReferences(BlobId)}, for the tree the index places at {@code e}. */
    public TreeCodec.References treeReferences(IndexEntry e) throws IOException {
        return TreeCodec.references(loadBlob(e), new TreeName(e.entry().id()));
    }

    /** A tree's name in errors, made only for one (a walk loads thousands of trees). */
    private record TreeName(BlobId id) {
        @Override
        public String toString() {
            return "tree " + id;
        }
    }

    /** Saves a snapshot; everything it references must already be stored and indexed. */
    public String saveSnapshot(Snapshot snapshot) throws IOException {
        byte[] sealed = keys.metadata().seal(JSON.writeValueAsBytes(snapshot), SNAPSHOT_AAD);
        String name = sha256Hex(sealed);
        store.put(ObjectKey.of(ObjectKind.SNAPSHOT, name), sealed);
        return name;
    }

    private static SnapshotRef awaitLoad(java.util.concurrent.Future<SnapshotRef> load) throws IOException {
        try {
            return load.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while loading snapshots");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        }
    }

    public SnapshotRef loadSnapshot(String id) throws IOException {
        ObjectKey key = ObjectKey.of(ObjectKind.SNAPSHOT, id);
        byte[] sealed = getCached(key);
        byte[] plain = keys.metadata().open(sealed, SNAPSHOT_AAD, key.toString());
        return new SnapshotRef(id, JSON.readValue(plain, Snapshot.class));
    }

    /** Every snapshot, oldest first; fails on the first damaged one (see {@link #listSnapshots(java.util.function.Consumer)}). */
    public List<SnapshotRef> listSnapshots() throws IOException {
        return listSnapshots(null);
    }

    /** Every readable snapshot, oldest first; damaged ones are passed to {@code damaged} (or thrown when it is null). */
    public List<SnapshotRef> listSnapshots(java.util.function.Consumer<IOException> damaged) throws IOException {
        List<SnapshotRef> result = new ArrayList<>();
        List<ObjectInfo> infos = store.list(ObjectKind.SNAPSHOT);
        cache.ifPresent(c -> c.retain(ObjectKind.SNAPSHOT, infos.stream().map(i -> i.key().name()).collect(java.util.stream.Collectors.toSet())));
        // Each snapshot is a read, a decryption and a parse, and a year of nightly backups is hundreds of them: past
        // a few, they load on several threads (reads overlap: 250 snapshots, cold, 125 ms -> 85-110 ms; more on S3).
        // Damage is reported in listing order all the same.
        java.util.concurrent.ExecutorService pool = infos.size() <= 8 ? null
                : java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
                    Thread t = new Thread(r, "kiln-snapshot-load");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<java.util.concurrent.Future<SnapshotRef>> loads = new ArrayList<>();
            if (pool != null) {
                for (ObjectInfo info : infos) {
                    loads.add(pool.submit(() -> loadSnapshot(info.key().name())));
                }
            }
            for (int i = 0; i < infos.size(); i++) {
                ObjectInfo info = infos.get(i);
                try {
                    result.add(pool == null ? loadSnapshot(info.key().name()) : awaitLoad(loads.get(i)));
                } catch (IntegrityException | ObjectNotFoundException | com.fasterxml.jackson.core.JacksonException e) {
                    if (damaged == null) {
                        throw e;
                    }
                    damaged.accept(e instanceof IntegrityException ie ? ie
                            : new IntegrityException(info.key() + ": damaged (" + e.getMessage() + ")", e));
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        // Each time parsed once, not in each of the n log n comparisons
        Map<SnapshotRef, Instant> times = new java.util.IdentityHashMap<>();
        result.forEach(r -> times.put(r, Instant.parse(r.snapshot().time())));
        result.sort(Comparator.comparing((SnapshotRef r) -> times.get(r)).thenComparing(SnapshotRef::id));
        return result;
    }

    /** Finds a snapshot by {@code latest} or by a unique prefix of its id. */
    public SnapshotRef findSnapshot(String spec) throws IOException {
        if (spec.equals("latest")) {
            List<SnapshotRef> all = listSnapshots();
            if (all.isEmpty()) {
                throw new SnapshotNotFoundException("the repository has no snapshots");
            }
            return all.getLast();
        }
        if (!spec.matches("[0-9a-f]{1,64}")) {
            throw new SnapshotNotFoundException("'" + spec + "' is neither 'latest' nor a snapshot id");
        }
        List<ObjectInfo> matches = store.list(ObjectKind.SNAPSHOT).stream()
                .filter(i -> i.key().name().startsWith(spec)).toList();
        if (matches.isEmpty()) {
            throw new SnapshotNotFoundException("no snapshot with id " + spec);
        }
        if (matches.size() > 1) {
            throw new SnapshotNotFoundException("snapshot id prefix " + spec + " is ambiguous (" + matches.size() + " matches)");
        }
        return loadSnapshot(matches.getFirst().key().name());
    }

    /** Takes a lock; shared locks exclude only exclusive ones. */
    public RepositoryLock lock(boolean exclusive, String hostname, String username) throws IOException {
        return RepositoryLock.acquire(this, exclusive, hostname, username);
    }

    /** Seals a small document (JSON) with the metadata key under the given associated data. */
    public byte[] sealDocument(Object value, byte[] aad) throws IOException {
        return keys.metadata().seal(JSON.writeValueAsBytes(value), aad);
    }

    public <T> T openDocument(byte[] sealed, byte[] aad, Class<T> type, String what) throws IOException {
        byte[] plain = keys.metadata().open(sealed, aad, what);
        try {
            return JSON.readValue(plain, type);
        } catch (IOException e) {
            throw new IntegrityException(what + ": damaged (" + e.getMessage() + ")", e);
        }
    }

    byte[] sealLock(LockInfo info) throws IOException {
        return keys.metadata().seal(JSON.writeValueAsBytes(info), LOCK_AAD);
    }

    LockInfo openLock(byte[] sealed, String what) throws IOException {
        return JSON.readValue(keys.metadata().open(sealed, LOCK_AAD, what), LockInfo.class);
    }

    public static String sha256Hex(byte[] data) {
        return HEX.formatHex(dev.kiln.core.crypto.Sha256.digest(data));
    }

    @Override
    public void close() {
        index.close();
        if (temporaryIndex != null) {
            try (var files = java.nio.file.Files.walk(temporaryIndex)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary directory only costs disk space
            }
        }
    }
}
