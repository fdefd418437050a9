package dev.kiln.core.store;

/** What a listing or a stat says of one object. */
public record ObjectInfo(ObjectKey key, long size) {
    public ObjectInfo {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + key);
        }
    }
}
