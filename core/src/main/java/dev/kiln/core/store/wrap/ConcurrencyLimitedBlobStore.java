package dev.kiln.core.store.wrap;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.ObjectInfo;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ReadBuffer;
import dev.kiln.core.store.ObjectKind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.Semaphore;

/** At most {@code limit} requests in flight at once. */
public final class ConcurrencyLimitedBlobStore extends ForwardingBlobStore {
    private final Semaphore slots;

    public ConcurrencyLimitedBlobStore(BlobStore delegate, int limit) {
        super(delegate);
        if (limit < 1) {
            throw new IllegalArgumentException("concurrency limit must be at least 1");
        }
        this.slots = new Semaphore(limit, true);
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T limited(Call<T> call) throws IOException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a connection");
        }
        try {
            return call.run();
        } finally {
            slots.release();
        }
    }

    @Override
    public void put(ObjectKey key, byte[] data) throws IOException {
        limited(() -> {
            super.put(key, data);
            return null;
        });
    }

    @Override
    public void create(ObjectKey key, byte[] data) throws IOException {
        limited(() -> {
            super.create(key, data);
            return null;
        });
    }

    @Override
    public byte[] get(ObjectKey key) throws IOException {
        return limited(() -> super.get(key));
    }

    @Override
    public void getInto(ObjectKey key, long offset, int length, ReadBuffer into) throws IOException {
        limited(() -> {
            delegate.getInto(key, offset, length, into);
            return null;
        });
    }

    @Override
    public byte[] get(ObjectKey key, long offset, int length) throws IOException {
        return limited(() -> super.get(key, offset, length));
    }

    @Override
    public ObjectInfo stat(ObjectKey key) throws IOException {
        return limited(() -> super.stat(key));
    }

    @Override
    public List<ObjectInfo> list(ObjectKind kind) throws IOException {
        return limited(() -> super.list(kind));
    }

    @Override
    public void deleteAll(List<ObjectKey> keys) throws IOException {
        limited(() -> {
            super.deleteAll(keys);
            return null;
        });
    }

    @Override
    public void delete(ObjectKey key) throws IOException {
        limited(() -> {
            super.delete(key);
            return null;
        });
    }
}
