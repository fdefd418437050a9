package dev.kiln.core.store;

import java.io.IOException;

/** The named object does not exist in the store. Permanent. */
public final class ObjectNotFoundException extends IOException {
    private final ObjectKey key;

    public ObjectNotFoundException(ObjectKey key) {
        super(key + ": not found");
        this.key = key;
    }

    public ObjectKey key() {
        return key;
    }
}
