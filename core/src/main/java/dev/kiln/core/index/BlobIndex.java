package dev.kiln.core.index;

import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.PackId;
import dev.kiln.core.pack.PackEntry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The blobs named by the repository's index files: blob id to pack and entry, and each pack's entries.
 * Filled one index file at a time, so that it can be synchronised with the repository incrementally.
 * Implementations are thread-safe.
 */
public interface BlobIndex extends AutoCloseable {
    /** Where the blob is stored; when several packs hold it, any one of them. */
    Optional<IndexEntry> find(BlobId id);

    boolean contains(BlobId id);

    /** Those of {@code ids} that are not in the index, in their order (one lookup per id unless a batch is cheaper). */
    default List<BlobId> missing(List<BlobId> ids) {
        List<BlobId> missing = new java.util.ArrayList<>();
        for (BlobId id : ids) {
            if (!contains(id)) {
                missing.add(id);
            }
        }
        return missing;
    }

    /** Names of the index files whose entries are in this index. */
    Set<String> indexFiles();

    /** Adds an index file's entries and remembers its name, at once. */
    void addIndexFile(String name, Map<PackId, List<PackEntry>> packs) throws IOException;

    /** Forgets everything (when index files were removed from the repository), the records of complete snapshots first. */
    void clear() throws IOException;

    /**
     * Records that every blob snapshot {@code snapshotId} references is in this index now. Entries leave the index only
     * by {@link #clear()}, which forgets these records first, so the blobs of a snapshot recorded here stay findable:
     * a backup whose parent is recorded need not look up the blobs of the files it finds unchanged.
     */
    void recordComplete(String snapshotId) throws IOException;

    /** Whether {@link #recordComplete} was called for the snapshot since the index was last cleared. */
    boolean isComplete(String snapshotId);

    /** Every pack named. */
    Set<PackId> packs();

    /** The distinct entries given for a pack, in no particular order; empty when the pack is not named. */
    List<PackEntry> entriesOf(PackId pack);

    /** Adds the id of every entry to {@code set} (ids in several packs once). */
    default void addIdsTo(BlobIdSet set) {
        forEachEntry((pack, e) -> set.add(e.id()));
    }

    /** Visits every entry of every pack. */
    void forEachEntry(BiConsumer<PackId, PackEntry> visitor);

    /** Visits every entry of this type (check takes the trees of an index mostly of file blobs). */
    default void forEachEntry(dev.kiln.core.pack.BlobType type, BiConsumer<PackId, PackEntry> visitor) {
        forEachEntry((pack, e) -> {
            if (e.type() == type) {
                visitor.accept(pack, e);
            }
        });
    }

    /** About how many blobs the index holds. */
    long size();

    @Override
    void close();
}
