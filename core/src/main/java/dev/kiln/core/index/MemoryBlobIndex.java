package dev.kiln.core.index;

import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.PackId;
import dev.kiln.core.pack.PackEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** The whole index in the heap, for tests and small tools. When a blob is in several packs, the first one added wins. */
public final class MemoryBlobIndex implements BlobIndex {
    private final Map<BlobId, IndexEntry> entries = new ConcurrentHashMap<>();
    private final Map<PackId, List<PackEntry>> packs = new ConcurrentHashMap<>();
    private final Set<String> files = ConcurrentHashMap.newKeySet();
    private final Set<String> complete = ConcurrentHashMap.newKeySet();

    @Override
    public Optional<IndexEntry> find(BlobId id) {
        return Optional.ofNullable(entries.get(id));
    }

    @Override
    public boolean contains(BlobId id) {
        return entries.containsKey(id);
    }

    @Override
    public Set<String> indexFiles() {
        return Set.copyOf(files);
    }

    @Override
    public synchronized void addIndexFile(String name, Map<PackId, List<PackEntry>> named) {
        named.forEach((pack, list) -> {
            list.forEach(e -> entries.putIfAbsent(e.id(), new IndexEntry(pack, e)));
            packs.merge(pack, List.copyOf(list), (a, b) -> {
                List<PackEntry> all = new ArrayList<>(a);
                b.stream().filter(e -> !a.contains(e)).forEach(all::add);
                return List.copyOf(all);
            });
        });
        files.add(name);
    }

    @Override
    public synchronized void clear() {
        complete.clear();
        entries.clear();
        packs.clear();
        files.clear();
    }

    @Override
    public void recordComplete(String snapshotId) {
        complete.add(snapshotId);
    }

    @Override
    public boolean isComplete(String snapshotId) {
        return complete.contains(snapshotId);
    }

    @Override
    public Set<PackId> packs() {
        return Set.copyOf(packs.keySet());
    }

    @Override
    public List<PackEntry> entriesOf(PackId pack) {
        return packs.getOrDefault(pack, List.of());
    }

    @Override
    public void forEachEntry(BiConsumer<PackId, PackEntry> visitor) {
        packs.forEach((pack, list) -> list.forEach(e -> visitor.accept(pack, e)));
    }

    @Override
    public long size() {
        return entries.size();
    }

    @Override
    public void close() {
        // nothing to release
    }
}
