package dev.kiln.core.index;

import dev.kiln.core.id.BlobId;
import java.util.Optional;

/** Looks blobs up by id. Implementations are thread-safe. */
public interface BlobIndex {
    Optional<IndexEntry> find(BlobId id);

    boolean contains(BlobId id);

    void add(IndexEntry entry);

    long size();
}
