package dev.kiln.stores;

import dev.kiln.core.store.BlobStore;
import dev.kiln.stores.local.LocalBlobStore;
import java.nio.file.Path;

/** Turns a repository location into a store; the only place where stores are composed. */
public final class Stores {
    private Stores() {
    }

    /**
     * Opens the store for a location: a path, or {@code file:/path}.
     * @throws IllegalArgumentException for a location kiln cannot use
     */
    public static BlobStore open(String location) {
        if (location.startsWith("s3:")) {
            throw new IllegalArgumentException("S3 repositories are not supported by this version of kiln: " + location);
        }
        if (location.startsWith("file:")) {
            location = location.substring("file:".length());
            if (location.startsWith("//")) {
                location = location.substring(2);
            }
        }
        if (location.isEmpty()) {
            throw new IllegalArgumentException("empty repository location");
        }
        return new LocalBlobStore(Path.of(location));
    }
}
