package dev.kiln.core.index;

import dev.kiln.core.id.BlobId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The whole index in the heap. When a blob is in several packs, the first one added wins. */
public final class MemoryBlobIndex implements BlobIndex {
    private final Map<BlobId, IndexEntry> entries = new ConcurrentHashMap<>();

    @Override
    public Optional<IndexEntry> find(BlobId id) {
        return Optional.ofNullable(entries.get(id));
    }

    @Override
    public boolean contains(BlobId id) {
        return entries.containsKey(id);
    }

    @Override
    public void add(IndexEntry entry) {
        entries.putIfAbsent(entry.id(), entry);
    }

    @Override
    public long size() {
        return entries.size();
    }
}
