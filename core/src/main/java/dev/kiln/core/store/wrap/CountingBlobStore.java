package dev.kiln.core.store.wrap;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.ObjectInfo;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ReadBuffer;
import dev.kiln.core.store.ObjectKind;
import java.io.IOException;
import java.util.List;

/**
 * Counts requests and bytes. Placed directly over the real store, so retries count as the requests they are.
 * A listing counts one LIST per {@code pageSize} objects (at least one), as object stores bill it.
 */
public final class CountingBlobStore extends ForwardingBlobStore {
    private final RequestStats stats;
    private final int pageSize;

    public CountingBlobStore(BlobStore delegate, RequestStats stats, int pageSize) {
        super(delegate);
        this.stats = stats;
        this.pageSize = pageSize;
    }

    @Override
    public void put(ObjectKey key, byte[] data) throws IOException {
        stats.puts.incrementAndGet();
        stats.bytesUp.addAndGet(data.length);
        super.put(key, data);
    }

    @Override
    public void create(ObjectKey key, byte[] data) throws IOException {
        stats.puts.incrementAndGet();
        stats.bytesUp.addAndGet(data.length);
        super.create(key, data);
    }

    @Override
    public byte[] get(ObjectKey key) throws IOException {
        stats.gets.incrementAndGet();
        byte[] b = super.get(key);
        stats.bytesDown.addAndGet(b.length);
        return b;
    }

    @Override
    public void getInto(ObjectKey key, long offset, int length, ReadBuffer into) throws IOException {
        stats.gets.incrementAndGet();
        delegate.getInto(key, offset, length, into);
        stats.bytesDown.addAndGet(into.length());
    }

    @Override
    public byte[] get(ObjectKey key, long offset, int length) throws IOException {
        stats.gets.incrementAndGet();
        byte[] b = super.get(key, offset, length);
        stats.bytesDown.addAndGet(b.length);
        return b;
    }

    @Override
    public ObjectInfo stat(ObjectKey key) throws IOException {
        stats.heads.incrementAndGet();
        return super.stat(key);
    }

    @Override
    public List<ObjectInfo> list(ObjectKind kind) throws IOException {
        List<ObjectInfo> result = super.list(kind);
        stats.lists.addAndGet(Math.max(1, (result.size() + pageSize - 1) / pageSize));
        return result;
    }

    @Override
    public void deleteAll(List<ObjectKey> keys) throws IOException {
        stats.deletes.addAndGet(keys.size()); // the local store deletes one by one
        super.deleteAll(keys);
    }

    @Override
    public void delete(ObjectKey key) throws IOException {
        stats.deletes.incrementAndGet();
        super.delete(key);
    }
}
