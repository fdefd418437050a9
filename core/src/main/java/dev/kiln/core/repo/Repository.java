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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
    static final HexFormat HEX = HexFormat.of();

    private final BlobStore store;
    private final RepositoryConfig config;
    private final KeyRing keys;
    private final BlobCodec codec;
    private final FastCdcChunker chunker;
    private final BlobIndex index = new MemoryBlobIndex();
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

    /** Opens a repository with a password, and loads its index. */
    public static Repository open(BlobStore store, byte[] password, Clock clock) throws IOException {
        return open(store, password, clock, java.util.Optional.empty());
    }

    /**
     * Opens a repository, keeping copies of index files, snapshots and tree packs in {@code cacheRoot/<repo id>}
     * when a cache root is given (for remote stores).
     */
    public static Repository open(BlobStore store, byte[] password, Clock clock, java.util.Optional<java.nio.file.Path> cacheRoot)
            throws IOException {
        if (!exists(store)) {
            throw new RepositoryNotFoundException("no repository at " + store.location());
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
                repo.cache = cacheRoot.map(r -> new ObjectCache(r.resolve(config.id())));
                repo.loadIndex();
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

    private void loadIndex() throws IOException {
        List<ObjectInfo> files = store.list(ObjectKind.INDEX);
        cache.ifPresent(c -> c.retain(ObjectKind.INDEX, files.stream().map(i -> i.key().name()).collect(java.util.stream.Collectors.toSet())));
        for (ObjectInfo info : files) {
            try {
                byte[] sealed = getCached(info.key());
                IndexFile file = IndexFile.open(sealed, keys.metadata(), info.key().toString());
                addToIndex(file.packs());
                indexFiles.add(info.key().name());
            } catch (IntegrityException | ObjectNotFoundException e) {
                indexProblems.add(e.getMessage());
            }
        }
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
    private final List<String> indexFiles = new ArrayList<>();

    /** Index files that could not be read when the repository was opened, as messages. */
    public List<String> indexProblems() {
        return List.copyOf(indexProblems);
    }

    /** Names of the index files loaded. */
    public List<String> indexFiles() {
        return List.copyOf(indexFiles);
    }

    void addToIndex(Map<PackId, List<PackEntry>> packs) {
        packs.forEach((pack, entries) -> {
            entries.forEach(e -> index.add(new IndexEntry(pack, e)));
            indexedPacks.merge(pack, List.copyOf(entries), (a, b) -> {
                List<PackEntry> all = new ArrayList<>(a);
                b.stream().filter(e -> !a.contains(e)).forEach(all::add);
                return all;
            });
        });
    }

    private final Map<PackId, List<PackEntry>> indexedPacks = new java.util.concurrent.ConcurrentHashMap<>();

    /** Every pack the index files name, with all the entries they give for it. */
    public Map<PackId, List<PackEntry>> indexedPacks() {
        return java.util.Collections.unmodifiableMap(indexedPacks);
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
        IndexEntry e = index.find(id).orElseThrow(() -> new IntegrityException("blob " + id + " is not in the index"));
        ObjectKey pack = ObjectKey.of(ObjectKind.PACK, e.pack().hex());
        if (e.entry().type() == dev.kiln.core.pack.BlobType.TREE) {
            // Trees are read in bulk (a backup reads its parent's, restore and check walk them): read each tree
            // pack whole once, verified against its name, and keep the last few in memory (and in the cache).
            byte[] whole = treePack(pack);
            if (e.entry().offset() + (long) e.entry().length() > whole.length) {
                throw new IntegrityException("blob " + id + ": beyond the end of " + pack);
            }
            return codec.open(e.entry(), whole, e.entry().offset());
        }
        byte[] sealed = store.get(pack, e.entry().offset(), e.entry().length());
        return codec.open(e.entry(), sealed, 0);
    }

    public List<Node> loadTree(BlobId id) throws IOException {
        return TreeCodec.decode(loadBlob(id), "tree " + id);
    }

    /** Saves a snapshot; everything it references must already be stored and indexed. */
    public String saveSnapshot(Snapshot snapshot) throws IOException {
        byte[] sealed = keys.metadata().seal(JSON.writeValueAsBytes(snapshot), SNAPSHOT_AAD);
        String name = sha256Hex(sealed);
        store.put(ObjectKey.of(ObjectKind.SNAPSHOT, name), sealed);
        return name;
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
        for (ObjectInfo info : infos) {
            try {
                result.add(loadSnapshot(info.key().name()));
            } catch (IntegrityException | ObjectNotFoundException | com.fasterxml.jackson.core.JacksonException e) {
                if (damaged == null) {
                    throw e;
                }
                damaged.accept(e instanceof IntegrityException ie ? ie
                        : new IntegrityException(info.key() + ": damaged (" + e.getMessage() + ")", e));
            }
        }
        result.sort(Comparator.comparing((SnapshotRef r) -> Instant.parse(r.snapshot().time())).thenComparing(SnapshotRef::id));
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
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        // The in-heap index needs no closing; kept AutoCloseable for the on-disk index cache.
    }
}
