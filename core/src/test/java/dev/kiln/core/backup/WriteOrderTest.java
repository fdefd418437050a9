package dev.kiln.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.id.BlobId;
import dev.kiln.core.index.IndexFile;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.store.MemoryBlobStore;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.testing.TestRepositories;
import dev.kiln.core.testing.TestTrees;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DESIGN.md §4: packs, then the index files naming them, then the snapshot. */
class WriteOrderTest {
    @TempDir
    Path tmp;

    /** Records the order of writes. */
    static final class RecordingStore extends dev.kiln.core.store.wrap.ForwardingBlobStore {
        final List<ObjectKey> puts = java.util.Collections.synchronizedList(new ArrayList<>());

        RecordingStore() {
            super(new MemoryBlobStore());
        }

        @Override
        public void put(ObjectKey key, byte[] data) throws IOException {
            super.put(key, data);
            puts.add(key);
        }

        @Override
        public void create(ObjectKey key, byte[] data) throws IOException {
            super.create(key, data);
            puts.add(key);
        }
    }

    @Test
    void packsBeforeTheirIndexBeforeTheSnapshot() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 31);
        RecordingStore store = new RecordingStore();
        try (Repository repo = Repository.init(store, "pw".getBytes(), TestRepositories.small().withPackSize(64 * 1024),
                Clock.systemUTC(), "h", "u")) {
            new Archiver(repo, new BackupOptions(List.of(src), "h", "u", List.of(), List.of(), Optional.empty(), 2), w -> {
            }).run();
            Set<String> packsSoFar = new HashSet<>();
            Set<BlobId> indexedSoFar = new HashSet<>();
            int snapshots = 0;
            for (ObjectKey key : List.copyOf(store.puts)) {
                switch (key.kind()) {
                    case PACK -> packsSoFar.add(key.name());
                    case INDEX -> {
                        IndexFile index = IndexFile.open(store.get(key), repo.metadataAead(), key.toString());
                        index.packs().forEach((pack, entries) -> {
                            assertThat(packsSoFar).as("pack named by " + key).contains(pack.hex());
                            entries.forEach(e -> indexedSoFar.add(e.id()));
                        });
                    }
                    case SNAPSHOT -> {
                        snapshots++;
                        var snapshot = repo.loadSnapshot(key.name()).snapshot();
                        assertThat(indexedSoFar).contains(BlobId.parse(snapshot.tree()));
                        new dev.kiln.core.repo.TreeWalker(repo).walk(BlobId.parse(snapshot.tree()), Path.of("/"), (p, n) -> {
                            if (n instanceof dev.kiln.core.snapshot.Node.File f) {
                                assertThat(indexedSoFar).containsAll(f.content());
                            }
                        });
                    }
                    default -> {
                    }
                }
            }
            assertThat(snapshots).isEqualTo(1);
            assertThat(store.puts.getLast().kind()).isEqualTo(ObjectKind.SNAPSHOT);
            assertThat(packsSoFar.size()).isGreaterThan(3);
        }
    }
}
