package dev.kiln.core.index;

import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.PackId;
import dev.kiln.core.pack.PackEntry;

/** One blob's location: its pack and its entry in that pack. */
public record IndexEntry(PackId pack, PackEntry entry) {
    public BlobId id() {
        return entry.id();
    }
}
