package dev.kiln.core.store;

import java.io.IOException;

/** {@link BlobStore#create} found an object of that name already present. Permanent. */
public final class ObjectExistsException extends IOException {
    public ObjectExistsException(ObjectKey key) {
        super(key + ": already exists");
    }
}
