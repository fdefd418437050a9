package dev.kiln.core.repo;

import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.PackId;
import dev.kiln.core.index.IndexFile;
import dev.kiln.core.pack.BlobCodec;
import dev.kiln.core.pack.BlobType;
import dev.kiln.core.pack.Pack;
import dev.kiln.core.pack.PackEntry;
import dev.kiln.core.pack.PackWriter;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Saves blobs into packs and packs into the store, then names them in index files. Blobs already in the
 * index, or already being saved, are skipped. Callers seal blobs in their own threads; background threads
 * upload finished packs, at most {@link #MAX_PENDING_UPLOADS} at a time, so memory stays bounded.
 * An index file is written after every {@link #PACKS_PER_INDEX} packs and on {@link #flush()}, always after
 * the packs it names. Thread-safe.
 */
public final class BlobSaver implements AutoCloseable {
    static final int UPLOAD_THREADS = 2;
    static final int MAX_PENDING_UPLOADS = 3;
    static final int PACKS_PER_INDEX = 4;

    private final Repository repo;
    private final Set<BlobId> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<BlobType, PackWriter> writers = new EnumMap<>(BlobType.class);
    private final Random shuffle = new Random(new SecureRandom().nextLong());
    private final ExecutorService uploader = Executors.newFixedThreadPool(UPLOAD_THREADS, r -> {
        Thread t = new Thread(r, "kiln-pack-upload");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore uploadSlots = new Semaphore(MAX_PENDING_UPLOADS);
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final Map<PackId, List<PackEntry>> unindexed = new LinkedHashMap<>();
    private final AtomicLong blobsAdded = new AtomicLong();
    private final AtomicLong bytesAdded = new AtomicLong();
    private final AtomicLong bytesStored = new AtomicLong();
    private final AtomicLong packsWritten = new AtomicLong();

    BlobSaver(Repository repo) {
        this.repo = repo;
        for (BlobType t : BlobType.values()) {
            writers.put(t, new PackWriter(t));
        }
    }

    /** Whether the blob is in the repository or being saved to it now. */
    public boolean isKnown(BlobId id) {
        return repo.hasBlob(id) || inFlight.contains(id);
    }

    /**
     * Saves {@code data[off, off+len)} as blob {@code id} unless it is known already.
     * @return whether the blob was new
     */
    public boolean save(BlobType type, BlobId id, byte[] data, int off, int len) throws IOException {
        rethrow();
        if (repo.hasBlob(id) || !inFlight.add(id)) {
            return false;
        }
        BlobCodec.SealedBlob sealed = repo.codec().seal(type, id, data, off, len);
        blobsAdded.incrementAndGet();
        bytesAdded.addAndGet(len);
        Pack full = null;
        PackWriter writer = writers.get(type);
        synchronized (writer) {
            writer.add(sealed);
            if (writer.size() >= repo.config().packSize()) {
                full = writer.finish(repo.metadataAead(), shuffle);
            }
        }
        if (full != null) {
            upload(full);
        }
        return true;
    }

    private void upload(Pack pack) throws IOException {
        try {
            uploadSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to upload a pack");
        }
        uploader.execute(() -> {
            try {
                if (failure.get() == null) {
                    repo.store().put(ObjectKey.of(ObjectKind.PACK, pack.id().hex()), pack.bytes());
                    bytesStored.addAndGet(pack.bytes().length);
                    packsWritten.incrementAndGet();
                    repo.addPending(pack.id(), pack.entries());
                    pack.entries().forEach(e -> inFlight.remove(e.id()));
                    synchronized (unindexed) {
                        unindexed.put(pack.id(), pack.entries());
                        if (unindexed.size() >= PACKS_PER_INDEX) {
                            writeIndex();
                        }
                    }
                }
            } catch (IOException e) {
                failure.compareAndSet(null, e);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, new IOException("uploading " + pack.id() + ": " + e, e));
            } finally {
                uploadSlots.release();
            }
        });
    }

    private void writeIndex() throws IOException {
        if (unindexed.isEmpty()) {
            return;
        }
        byte[] sealed = new IndexFile(unindexed).seal(repo.metadataAead());
        String name = Repository.sha256Hex(sealed);
        repo.store().put(ObjectKey.of(ObjectKind.INDEX, name), sealed);
        bytesStored.addAndGet(sealed.length);
        repo.indexWritten(name, unindexed);
        unindexed.clear();
    }

    /** Stores every pending blob and the index files that name them; afterwards all saved blobs are durable. */
    public void flush() throws IOException {
        for (PackWriter writer : writers.values()) {
            Pack pack = null;
            synchronized (writer) {
                if (!writer.isEmpty()) {
                    pack = writer.finish(repo.metadataAead(), shuffle);
                }
            }
            if (pack != null) {
                upload(pack);
            }
        }
        try {
            uploadSlots.acquire(MAX_PENDING_UPLOADS);
            uploadSlots.release(MAX_PENDING_UPLOADS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for uploads");
        }
        rethrow();
        synchronized (unindexed) {
            writeIndex();
        }
    }

    private void rethrow() throws IOException {
        IOException e = failure.get();
        if (e != null) {
            throw new IOException("storing a pack failed: " + e.getMessage(), e);
        }
    }

    public long blobsAdded() {
        return blobsAdded.get();
    }

    /** Plaintext bytes of new blobs. */
    public long bytesAdded() {
        return bytesAdded.get();
    }

    /** Bytes written to the store (packs and index files). */
    public long bytesStored() {
        return bytesStored.get();
    }

    public long packsWritten() {
        return packsWritten.get();
    }

    @Override
    public void close() {
        uploader.shutdownNow();
    }
}
