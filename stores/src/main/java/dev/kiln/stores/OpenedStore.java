package dev.kiln.stores;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.wrap.RequestStats;
import java.io.Closeable;
import java.io.IOException;

/** A composed store and the count of the requests it makes. */
public record OpenedStore(BlobStore store, RequestStats stats) implements Closeable {
    @Override
    public void close() throws IOException {
        store.close();
    }
}
