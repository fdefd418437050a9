package dev.kiln.core.index;

import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.PackId;
import dev.kiln.core.pack.BlobType;
import dev.kiln.core.pack.PackEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The index in a local RocksDB database (format: docs/repository-format.md §14), so that memory does not grow
 * with the repository. Three column families: {@code blobs} (blob id → pack id + entry), {@code packs}
 * (pack id → its distinct entries, concatenated) and {@code files} (names of the index files already loaded). Each index file goes in with one write batch, so a killed process leaves either all
 * of a file or none of it. In front of RocksDB sits a {@link BloomFilter} in the heap (about 2.5 bytes per
 * blob), kept in the directory between runs, so that looking up a new blob costs no disk access.
 * Thread-safe.
 */
public final class RocksBlobIndex implements BlobIndex {
    static {
        RocksDB.loadLibrary();
    }

    /** Loads the native library (this class's initialisation), for a caller that wants it loaded ahead of use. */
    public static void loadLibrary() {
        // the static initialiser above does it
    }

    private static final byte[] BLOOM_GENERATION = "bloom-generation".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FORMAT = "kiln index cache 2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = {};
    /** Keys of the default family for snapshots recorded complete: this prefix and the snapshot id. */
    private static final String COMPLETE_PREFIX = "complete/";
    private static final byte[] COMPLETE_END = "complete0".getBytes(StandardCharsets.US_ASCII); // '0' follows '/'

    /** Pack id, then the entry without its id (the key): type, compression, offset, length, raw length. */
    private static final int VALUE_SIZE = 32 + PackEntry.ENCODED_SIZE - 32;

    private final Path dir;
    private final LRUCache blockCache;
    private final org.rocksdb.BloomFilter tableFilter;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle defaultFamily;
    private final ColumnFamilyHandle blobs;
    private final ColumnFamilyHandle packFamily;
    private final ColumnFamilyHandle files;
    private final WriteOptions writeOptions = new WriteOptions();
    private final ReadOptions readOptions = new ReadOptions();
    private volatile BloomFilter bloom;
    private long generation;
    private boolean dirty;
    /**
     * Whether this session wrote to the database. If it did, close flushes every family and waits for the
     * compactions that sets off: otherwise the next command (a check after a backup, say) replays the log, writes
     * a table file and compacts in the background while it works, and a compaction cut off at one close starts
     * again in the next command.
     */
    private volatile boolean wrote;
    /** About how many blobs the filter holds (duplicates counted twice); it is rebuilt larger past its capacity. */
    private long count;

    /** Thrown when another process has the database open. */
    public static final class BusyException extends IOException {
        BusyException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private RocksBlobIndex(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        blockCache = new LRUCache(16L << 20);
        tableFilter = new org.rocksdb.BloomFilter(10, false);
        dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxOpenFiles(256).setKeepLogFileNum(2).setMaxLogFileSize(1 << 20)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setMaxBackgroundJobs(2);
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, family(4L << 20)),
                new ColumnFamilyDescriptor("blobs".getBytes(StandardCharsets.US_ASCII), family(16L << 20)),
                new ColumnFamilyDescriptor("packs".getBytes(StandardCharsets.US_ASCII), family(8L << 20)),
                new ColumnFamilyDescriptor("files".getBytes(StandardCharsets.US_ASCII), family(1L << 20)));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            closeOptions();
            String m = String.valueOf(e.getMessage());
            if (m.contains("LOCK") || m.contains("lock")) {
                throw new BusyException("index cache " + dir + " is in use by another process", e);
            }
            throw new IOException("index cache " + dir + ": " + m, e);
        }
        defaultFamily = handles.get(0);
        blobs = handles.get(1);
        packFamily = handles.get(2);
        files = handles.get(3);
    }

    private ColumnFamilyOptions family(long writeBuffer) {
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(blockCache).setFilterPolicy(tableFilter)
                .setBlockSize(16 << 10).setCacheIndexAndFilterBlocks(true).setPinL0FilterAndIndexBlocksInCache(true);
        // Keys and values are mostly random bytes (ids): compression would cost CPU and save nothing.
        ColumnFamilyOptions o = new ColumnFamilyOptions().setTableFormatConfig(table)
                .setCompressionType(CompressionType.NO_COMPRESSION).setWriteBufferSize(writeBuffer)
                .setMaxWriteBufferNumber(2).setLevelCompactionDynamicLevelBytes(true);
        cfOptions.add(o);
        return o;
    }

    /**
     * Opens (or creates) the index cache in {@code dir}. A cache of another format is emptied first.
     * @throws BusyException when another process has it open
     */
    public static RocksBlobIndex open(Path dir) throws IOException {
        RocksBlobIndex index = new RocksBlobIndex(dir);
        try {
            byte[] format = index.db.get(index.defaultFamily, FORMAT_KEY);
            if (!Arrays.equals(format, FORMAT)) { // (written once: a command that only reads writes nothing)
                if (format != null) {
                    index.clear();
                }
                index.wrote = true;
                index.db.put(index.defaultFamily, FORMAT_KEY, FORMAT);
            }
            index.loadBloom();
            return index;
        } catch (RocksDBException | IOException | RuntimeException e) {
            index.close();
            throw e instanceof IOException io ? io : new IOException("index cache " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return dir;
    }

    private Path bloomPath() {
        return dir.resolve("blobs.bloom");
    }

    /** Uses the filter kept from the last run if it belongs to this state of the database, else builds it. */
    private void loadBloom() throws RocksDBException, IOException {
        byte[] g = db.get(defaultFamily, BLOOM_GENERATION);
        if (g != null) {
            generation = ByteBuffer.wrap(g).getLong();
            try (InputStream in = Files.newInputStream(bloomPath())) {
                bloom = BloomFilter.readFrom(in, generation);
            } catch (NoSuchFileException e) {
                bloom = null;
            }
        }
        if (bloom == null) {
            rebuildBloom(estimate(blobs));
        } else {
            count = estimate(blobs);
        }
    }

    /** Builds the filter from the database, with room for {@code expected} blobs and half as many again. */
    private void rebuildBloom(long expected) throws RocksDBException {
        BloomFilter fresh = new BloomFilter(Math.max(expected + expected / 2, 1L << 20));
        long n = 0;
        try (RocksIterator it = db.newIterator(blobs)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                fresh.add(BlobId.fromBytes(it.key()));
                n++;
            }
        }
        bloom = fresh;
        count = n;
        invalidateBloom();
    }

    /** The copy on disk no longer matches the database: forget its generation before the first change. */
    private void invalidateBloom() throws RocksDBException {
        if (!dirty) {
            wrote = true;
            db.delete(defaultFamily, BLOOM_GENERATION);
            dirty = true;
        }
    }

    private long estimate(ColumnFamilyHandle family) throws RocksDBException {
        return db.getLongProperty(family, "rocksdb.estimate-num-keys");
    }

    private Optional<IndexEntry> find0(BlobId id) {
        if (!bloom.mightContain(id)) {
            return Optional.empty();
        }
        try {
            byte[] v = db.get(blobs, readOptions, id.toBytes());
            if (v == null) {
                return Optional.empty();
            }
            if (v.length != VALUE_SIZE) {
                throw new IllegalStateException("index cache " + dir + ": entry of blob " + id + " has " + v.length + " bytes");
            }
            ByteBuffer in = ByteBuffer.wrap(v);
            byte[] pack = new byte[32];
            in.get(pack);
            var type = dev.kiln.core.pack.BlobType.fromCode(in.get());
            var compression = dev.kiln.core.compress.Compression.fromCode(in.get());
            PackEntry entry = new PackEntry(type, id, in.getInt(), in.getInt(), in.getInt(), compression);
            return Optional.of(new IndexEntry(PackId.fromBytes(pack), entry));
        } catch (RocksDBException e) {
            throw new IllegalStateException("index cache " + dir + ": " + e.getMessage(), e);
        }
    }

    private boolean contains0(BlobId id) {
        if (!bloom.mightContain(id)) {
            return false;
        }
        try {
            return db.get(blobs, readOptions, id.toBytes()) != null;
        } catch (RocksDBException e) {
            throw new IllegalStateException("index cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The filter answers for most absent ids; the rest go to RocksDB in one batch (its MultiGet shares the work of
     * the lookups, and one call through JNI instead of one per id). Many ids at once are swept instead.
     */
    private List<BlobId> missing0(List<BlobId> ids) {
        if (ids.size() >= SWEEP_AT) {
            return missingBySweep(ids);
        }
        boolean[] present = new boolean[ids.size()];
        List<byte[]> keys = new ArrayList<>(ids.size());
        int[] positions = new int[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            if (bloom.mightContain(ids.get(i))) {
                positions[keys.size()] = i;
                keys.add(ids.get(i).toBytes());
            }
        }
        if (!keys.isEmpty()) {
            List<byte[]> values;
            try {
                values = db.multiGetAsList(readOptions, java.util.Collections.nCopies(keys.size(), blobs), keys);
            } catch (RocksDBException e) {
                throw new IllegalStateException("index cache " + dir + ": " + e.getMessage(), e);
            }
            for (int k = 0; k < keys.size(); k++) {
                present[positions[k]] = values.get(k) != null;
            }
        }
        List<BlobId> missing = new ArrayList<>();
        for (int i = 0; i < present.length; i++) {
            if (!present[i]) {
                missing.add(ids.get(i));
            }
        }
        return missing;
    }

    /** From this many ids on, {@link #missing} sorts them and sweeps the index instead of looking each one up. */
    static final int SWEEP_AT = 1024;
    /** How far the sweep steps through keys between two ids before it seeks instead. */
    private static final int SWEEP_STEPS = 16;

    /**
     * Many ids at once (check's structure pass hands over tens of thousands, most of the index): sorted, they are
     * met by one iterator that moves forward through the index, a step where the next id is near and a seek where it
     * is far. A step is a fraction of a point lookup's binary search through a block (measured: the structure pass
     * of a check of src spent 355 ms in MultiGet for 5,959 trees' blobs).
     */
    private List<BlobId> missingBySweep(List<BlobId> ids) {
        BlobId[] sorted = sortedByKey(ids);
        Set<BlobId> absent = new HashSet<>();
        byte[] key = new byte[32];
        try (RocksIterator it = db.newIterator(blobs, readOptions)) {
            it.seek(sorted[0].toBytes());
            BlobId at = keyAt(it, key);
            for (BlobId id : sorted) {
                for (int steps = 0; at != null && at.compareTo(id) < 0; steps++) {
                    if (steps == SWEEP_STEPS) {
                        it.seek(id.toBytes());
                    } else {
                        it.next();
                    }
                    at = keyAt(it, key);
                }
                if (at == null || !at.equals(id)) {
                    absent.add(id);
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw new IllegalStateException("index cache " + dir + ": " + e.getMessage(), e);
        }
        List<BlobId> missing = new ArrayList<>();
        if (!absent.isEmpty()) {
            for (BlobId id : ids) {
                if (absent.contains(id)) {
                    missing.add(id);
                }
            }
        }
        return missing;
    }

    /**
     * The ids in key order. Blob ids are keyed hashes, spread evenly: placed into about one bucket per id by their
     * leading bits, they leave each bucket a few ids to sort. (A comparison sort of 85,000 ids took 85 ms in a
     * JVM without C2; this takes a few.)
     */
    static BlobId[] sortedByKey(List<BlobId> ids) {
        int n = ids.size();
        int bits = Math.max(1, Math.min(20, 32 - Integer.numberOfLeadingZeros(n)));
        int[] start = new int[(1 << bits) + 1];
        for (BlobId id : ids) {
            start[(int) (id.w0() >>> (64 - bits)) + 1]++;
        }
        for (int b = 1; b < start.length; b++) {
            start[b] += start[b - 1];
        }
        int[] next = Arrays.copyOf(start, start.length - 1);
        BlobId[] sorted = new BlobId[n];
        for (BlobId id : ids) {
            sorted[next[(int) (id.w0() >>> (64 - bits))]++] = id;
        }
        for (int b = 0; b < start.length - 1; b++) {
            if (start[b + 1] - start[b] > 1) {
                Arrays.sort(sorted, start[b], start[b + 1]);
            }
        }
        return sorted;
    }

    /** The blob id at the iterator, or null past the end. */
    private BlobId keyAt(RocksIterator it, byte[] key) {
        if (!it.isValid()) {
            return null;
        }
        int n = it.key(key);
        if (n != key.length) {
            throw new IllegalStateException("index cache " + dir + ": a blob key of " + n + " bytes");
        }
        return BlobId.fromBytes(key);
    }

    private Set<String> indexFiles0() {
        Set<String> names = new HashSet<>();
        try (RocksIterator it = db.newIterator(files)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                names.add(new String(it.key(), StandardCharsets.US_ASCII));
            }
        }
        return names;
    }

    private synchronized void addIndexFile0(String name, Map<PackId, List<PackEntry>> named) throws IOException {
        int count = 0;
        try (WriteBatch batch = new WriteBatch()) {
            ByteBuffer value = ByteBuffer.allocate(VALUE_SIZE);
            for (Map.Entry<PackId, List<PackEntry>> p : named.entrySet()) {
                byte[] pack = p.getKey().toBytes();
                for (PackEntry e : p.getValue()) {
                    value.clear();
                    value.put(pack).put((byte) e.type().code()).put((byte) e.compression().code())
                            .putInt(e.offset()).putInt(e.length()).putInt(e.rawLength());
                    batch.put(blobs, e.id().toBytes(), value.array());
                    count++;
                }
                // Another index file may have named this pack already: keep every distinct entry of both.
                List<PackEntry> entries = p.getValue();
                byte[] old = db.get(packFamily, pack);
                if (old != null) {
                    java.util.LinkedHashSet<PackEntry> all = new java.util.LinkedHashSet<>(decodeEntries(old));
                    all.addAll(entries);
                    entries = new ArrayList<>(all);
                }
                ByteBuffer list = ByteBuffer.allocate(entries.size() * PackEntry.ENCODED_SIZE);
                entries.forEach(e -> e.writeTo(list));
                batch.put(packFamily, pack, list.array());
            }
            batch.put(files, name.getBytes(StandardCharsets.US_ASCII), EMPTY);
            invalidateBloom();
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new IOException("index cache " + dir + ": " + e.getMessage(), e);
        }
        BloomFilter b = bloom;
        named.values().forEach(list -> list.forEach(e -> b.add(e.id())));
        this.count += count;
        if (this.count > b.capacity() && b.canGrow()) {
            try {
                rebuildBloom(this.count);
            } catch (RocksDBException e) {
                throw new IOException("index cache " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** Makes room in the Bloom filter for about {@code more} blobs before they are added (one rebuild, not several). */
    private synchronized void reserve0(long more) throws IOException {
        if (count + more > bloom.capacity() && bloom.canGrow()) {
            try {
                rebuildBloom(count + more);
            } catch (RocksDBException e) {
                throw new IOException("index cache " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    private synchronized void clear0() throws IOException {
        try {
            // First: a crash part-way through must not leave a snapshot recorded complete whose blobs are gone.
            db.deleteRange(defaultFamily, COMPLETE_PREFIX.getBytes(StandardCharsets.US_ASCII), COMPLETE_END);
            invalidateBloom();
            for (ColumnFamilyHandle family : List.of(blobs, packFamily, files)) {
                try (RocksIterator it = db.newIterator(family)) {
                    it.seekToFirst();
                    if (!it.isValid()) {
                        continue;
                    }
                    byte[] first = it.key();
                    it.seekToLast();
                    byte[] last = it.key();
                    db.deleteRange(family, first, last);
                    db.delete(family, last);
                }
            }
            bloom = new BloomFilter(1L << 20);
            count = 0;
        } catch (RocksDBException e) {
            throw new IOException("index cache " + dir + ": " + e.getMessage(), e);
        }
    }

    private Set<PackId> packs0() {
        Set<PackId> result = new HashSet<>();
        try (RocksIterator it = db.newIterator(packFamily)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                result.add(PackId.fromBytes(it.key()));
            }
        }
        return result;
    }

    private static List<PackEntry> decodeEntries(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        List<PackEntry> result = new ArrayList<>(value.length / PackEntry.ENCODED_SIZE);
        while (in.hasRemaining()) {
            result.add(PackEntry.readFrom(in));
        }
        return result;
    }

    private List<PackEntry> entriesOf0(PackId pack) {
        try {
            byte[] v = db.get(packFamily, pack.toBytes());
            return v == null ? List.of() : decodeEntries(v);
        } catch (RocksDBException e) {
            throw new IllegalStateException("index cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Visits the entries of every pack, of one type only when {@code type} is given: the others are skipped by
     * their first byte (the type's code), not decoded.
     */
    private void forEachEntry0(BlobType type, BiConsumer<PackId, PackEntry> visitor) {
        try (RocksIterator it = db.newIterator(packFamily)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] value = it.value();
                PackId pack = null;
                for (int at = 0; at + PackEntry.ENCODED_SIZE <= value.length; at += PackEntry.ENCODED_SIZE) {
                    if (type == null || value[at] == (byte) type.code()) {
                        pack = pack == null ? PackId.fromBytes(it.key()) : pack;
                        visitor.accept(pack, PackEntry.readFrom(ByteBuffer.wrap(value, at, PackEntry.ENCODED_SIZE)));
                    }
                }
            }
        }
    }

    private long size0() {
        try {
            return estimate(blobs);
        } catch (RocksDBException e) {
            return -1;
        }
    }

    // A closed RocksDB handle must never be touched (native memory): every call holds the read lock, close the write lock.
    private final java.util.concurrent.locks.ReentrantReadWriteLock guard = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private boolean closed;

    /** Takes the read lock on an open database; a closed one is never touched. */
    private void lockOpen() {
        guard.readLock().lock();
        if (closed) {
            guard.readLock().unlock();
            throw new IllegalStateException("index cache " + dir + " is closed");
        }
    }

    private <T> T guarded(java.util.function.Supplier<T> call) {
        lockOpen();
        try {
            return call.get();
        } finally {
            guard.readLock().unlock();
        }
    }

    @FunctionalInterface
    private interface Update {
        void run() throws IOException;
    }

    private void guardedUpdate(Update call) throws IOException {
        lockOpen();
        wrote = true;
        try {
            call.run();
        } finally {
            guard.readLock().unlock();
        }
    }

    @Override
    public Optional<IndexEntry> find(BlobId id) {
        return guarded(() -> find0(id));
    }

    @Override
    public boolean contains(BlobId id) {
        return guarded(() -> contains0(id));
    }

    @Override
    public List<BlobId> missing(List<BlobId> ids) {
        return guarded(() -> missing0(ids));
    }

    @Override
    public Set<String> indexFiles() {
        return guarded(this::indexFiles0);
    }

    @Override
    public void addIndexFile(String name, Map<PackId, List<PackEntry>> named) throws IOException {
        guardedUpdate(() -> addIndexFile0(name, named));
    }

    public void reserve(long more) throws IOException {
        guardedUpdate(() -> reserve0(more));
    }

    @Override
    public void clear() throws IOException {
        guardedUpdate(this::clear0);
    }

    @Override
    public void recordComplete(String snapshotId) throws IOException {
        guardedUpdate(() -> {
            try {
                db.put(defaultFamily, writeOptions, (COMPLETE_PREFIX + snapshotId).getBytes(StandardCharsets.US_ASCII), EMPTY);
            } catch (RocksDBException e) {
                throw new IOException("index cache " + dir + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public boolean isComplete(String snapshotId) {
        return guarded(() -> {
            try {
                return db.get(defaultFamily, readOptions, (COMPLETE_PREFIX + snapshotId).getBytes(StandardCharsets.US_ASCII)) != null;
            } catch (RocksDBException e) {
                throw new IllegalStateException("index cache " + dir + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public Set<PackId> packs() {
        return guarded(this::packs0);
    }

    @Override
    public List<PackEntry> entriesOf(PackId pack) {
        return guarded(() -> entriesOf0(pack));
    }

    @Override
    public void forEachEntry(BiConsumer<PackId, PackEntry> visitor) {
        guarded(() -> {
            forEachEntry0(null, visitor);
            return null;
        });
    }

    @Override
    public void addIdsTo(BlobIdSet set) {
        guarded(() -> {
            try (RocksIterator it = db.newIterator(packFamily)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    ByteBuffer value = ByteBuffer.wrap(it.value()); // the pack's entries, read in place: no entry objects
                    for (int at = 0; at + PackEntry.ENCODED_SIZE <= value.limit(); at += PackEntry.ENCODED_SIZE) {
                        int id = at + PackEntry.ID_OFFSET;
                        set.add(value.getLong(id), value.getLong(id + 8), value.getLong(id + 16), value.getLong(id + 24));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public void forEachEntry(BlobType type, BiConsumer<PackId, PackEntry> visitor) {
        guarded(() -> {
            forEachEntry0(type, visitor);
            return null;
        });
    }

    @Override
    public long size() {
        return guarded(this::size0);
    }

    /** Keeps the Bloom filter for the next run (when it changed), then releases the database. */
    @Override
    public synchronized void close() {
        guard.writeLock().lock();
        if (closed) {
            guard.writeLock().unlock();
            return;
        }
        closed = true;
        try {
            if (db != null && dirty && bloom != null) {
                try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                    db.flush(flush, List.of(blobs, packFamily, files));
                }
                saveBloom(generation + 1);
            }
            if (db != null && wrote) {
                try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                    db.flush(flush, List.of(defaultFamily, blobs, packFamily, files));
                }
                awaitCompactions();
            }
        } catch (RocksDBException | IOException e) {
            // the filter is rebuilt from the database next time
        } finally {
            if (db != null) {
                for (ColumnFamilyHandle h : new ColumnFamilyHandle[] {defaultFamily, blobs, packFamily, files}) {
                    if (h != null) {
                        h.close();
                    }
                }
                db.close();
            }
            writeOptions.close();
            readOptions.close();
            closeOptions();
            guard.writeLock().unlock();
        }
    }

    /**
     * Waits (at most 30 s) until no family has a compaction pending or running; not at all once RocksDB has had a
     * background error (a full disk, say: it then stops compacting, and would be waited for in vain).
     */
    private void awaitCompactions() throws RocksDBException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && compacting()) {
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    private boolean compacting() throws RocksDBException {
        if (db.getLongProperty("rocksdb.background-errors") > 0) {
            return false;
        }
        if (db.getLongProperty("rocksdb.num-running-compactions") > 0) {
            return true;
        }
        for (ColumnFamilyHandle h : List.of(defaultFamily, blobs, packFamily, files)) {
            if (db.getLongProperty(h, "rocksdb.compaction-pending") > 0) {
                return true;
            }
        }
        return false;
    }

    private void saveBloom(long next) throws IOException, RocksDBException {
        Path tmp = dir.resolve("blobs.bloom.tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            bloom.writeTo(out, next);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, bloomPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (WriteOptions sync = new WriteOptions().setSync(true)) {
            db.put(defaultFamily, sync, BLOOM_GENERATION, ByteBuffer.allocate(8).putLong(next).array());
        }
        generation = next;
        dirty = false;
    }

    private void closeOptions() {
        cfOptions.forEach(ColumnFamilyOptions::close);
        dbOptions.close();
        tableFilter.close();
        blockCache.close();
    }
}
