package dev.kiln.core.store.wrap;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.store.ReadBuffer;
import java.io.IOException;

/** Refuses writes, except lock objects (readers still announce themselves to an exclusive locker). */
public final class ReadOnlyBlobStore extends ForwardingBlobStore {
    public ReadOnlyBlobStore(BlobStore delegate) {
        super(delegate);
    }

    private static void refuse(ObjectKey key) throws IOException {
        if (key.kind() != ObjectKind.LOCK && key.kind() != ObjectKind.VERIFICATION) {
            throw new IOException("read-only: refusing to write " + key);
        }
    }

    @Override
    public void put(ObjectKey key, byte[] data) throws IOException {
        refuse(key);
        super.put(key, data);
    }

    @Override
    public void create(ObjectKey key, byte[] data) throws IOException {
        refuse(key);
        super.create(key, data);
    }

    @Override
    public void deleteAll(java.util.List<ObjectKey> keys) throws IOException {
        for (ObjectKey k : keys) {
            refuse(k);
        }
        super.deleteAll(keys);
    }

    @Override
    public void getInto(ObjectKey key, long offset, int length, ReadBuffer into) throws IOException {
        delegate.getInto(key, offset, length, into);
    }

    @Override
    public void delete(ObjectKey key) throws IOException {
        refuse(key);
        super.delete(key);
    }
}
