package dev.kiln.core.check;

import dev.kiln.core.crypto.IntegrityException;
import dev.kiln.core.id.PackId;
import dev.kiln.core.index.IndexFile;
import dev.kiln.core.pack.PackEntry;
import dev.kiln.core.pack.PackHeader;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.store.ObjectInfo;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the repository's index files from the headers of the packs in the store: writes new index files
 * first, then removes the old ones, so that the repository never has fewer index entries than before.
 * Needs the key; the caller holds an exclusive lock.
 */
public final class IndexRepairer {
    static final int PACKS_PER_FILE = 4096;

    public record Result(int packs, long blobs, int indexFilesWritten, int indexFilesRemoved, List<String> unreadablePacks) {
        public Result {
            unreadablePacks = List.copyOf(unreadablePacks);
        }
    }

    private final Repository repo;

    public IndexRepairer(Repository repo) {
        this.repo = repo;
    }

    public Result run() throws IOException {
        List<ObjectInfo> oldIndex = repo.store().list(ObjectKind.INDEX);
        List<String> unreadable = new ArrayList<>();
        Map<PackId, List<PackEntry>> batch = new LinkedHashMap<>();
        int packs = 0;
        long blobs = 0;
        List<ObjectKey> written = new ArrayList<>();
        for (ObjectInfo info : repo.store().list(ObjectKind.PACK)) {
            PackId pack = PackId.parse(info.key().name());
            List<PackEntry> entries;
            try {
                entries = readHeader(info);
            } catch (IntegrityException | java.io.EOFException e) {
                unreadable.add(e.getMessage());
                continue;
            }
            batch.put(pack, entries);
            packs++;
            blobs += entries.size();
            if (batch.size() >= PACKS_PER_FILE) {
                written.add(write(batch));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            written.add(write(batch));
        }
        List<ObjectKey> stale = oldIndex.stream().map(ObjectInfo::key).filter(k -> !written.contains(k)).toList();
        repo.store().deleteAll(stale);
        int removed = stale.size();
        return new Result(packs, blobs, written.size(), removed, unreadable);
    }

    private List<PackEntry> readHeader(ObjectInfo info) throws IOException {
        String what = "pack " + info.key().name().substring(0, 8);
        if (info.size() < 4) {
            throw new IntegrityException(what + ": " + info.size() + " bytes is too short for a pack");
        }
        byte[] trailer = repo.store().get(info.key(), info.size() - 4, 4);
        int n = PackHeader.sealedLength(trailer, info.size(), what);
        byte[] tail = repo.store().get(info.key(), info.size() - 4 - n, n + 4);
        return PackHeader.parse(tail, info.size(), repo.metadataAead(), what);
    }

    private ObjectKey write(Map<PackId, List<PackEntry>> packs) throws IOException {
        byte[] sealed = new IndexFile(packs).seal(repo.metadataAead());
        ObjectKey key = ObjectKey.of(ObjectKind.INDEX, Repository.sha256Hex(sealed));
        repo.store().put(key, sealed);
        return key;
    }
}
