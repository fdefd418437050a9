package dev.kiln.core.repo;

import dev.kiln.core.snapshot.Snapshot;

/** A snapshot and the name of the object that holds it. */
public record SnapshotRef(String id, Snapshot snapshot) {
    public String shortId() {
        return id.substring(0, 8);
    }
}
