package dev.kiln.core.pack;

import dev.kiln.core.id.PackId;
import java.util.List;

/** A finished pack: its bytes, its name, and the entries of its header. */
public record Pack(PackId id, byte[] bytes, BlobType type, List<PackEntry> entries) {
    public Pack {
        entries = List.copyOf(entries);
    }
}
