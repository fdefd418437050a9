package dev.kiln.core.store.wrap;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.ObjectInfo;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import java.io.IOException;
import java.util.List;

/**
 * Passes every call to another store; decorators override what they change. {@link #getInto} is not passed on
 * here: it reads through this store's {@link #get(ObjectKey, long, int)}, so that a decorator that changes {@code get} cannot
 * be bypassed; a decorator passes it on itself ({@link #delegate}'s {@code getInto}) to keep the delegate's reads
 * straight into the caller's buffer.
 */
public abstract class ForwardingBlobStore implements BlobStore {
    protected final BlobStore delegate;

    protected ForwardingBlobStore(BlobStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void put(ObjectKey key, byte[] data) throws IOException {
        delegate.put(key, data);
    }

    @Override
    public void create(ObjectKey key, byte[] data) throws IOException {
        delegate.create(key, data);
    }

    @Override
    public byte[] get(ObjectKey key) throws IOException {
        return delegate.get(key);
    }

    @Override
    public byte[] get(ObjectKey key, long offset, int length) throws IOException {
        return delegate.get(key, offset, length);
    }

    @Override
    public ObjectInfo stat(ObjectKey key) throws IOException {
        return delegate.stat(key);
    }

    @Override
    public List<ObjectInfo> list(ObjectKind kind) throws IOException {
        return delegate.list(kind);
    }

    @Override
    public void delete(ObjectKey key) throws IOException {
        delegate.delete(key);
    }

    @Override
    public void deleteAll(List<ObjectKey> keys) throws IOException {
        delegate.deleteAll(keys);
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
