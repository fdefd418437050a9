package dev.kiln.stores.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.BlobStoreContractTest;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.store.ReadBuffer;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest extends BlobStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected BlobStore newStore() {
        return new LocalBlobStore(dir.resolve("repo"));
    }

    @Test
    void packsAreShardedAndTemporaryFilesAreNotListed() throws Exception {
        String name = "ab" + "0".repeat(62);
        store.put(ObjectKey.of(ObjectKind.PACK, name), new byte[] {1});
        assertThat(dir.resolve("repo/data/ab").resolve(name)).exists();
        Files.write(dir.resolve("repo/data/ab/." + name + ".tmp1234"), new byte[] {9}); // a crashed write
        assertThat(store.list(ObjectKind.PACK)).hasSize(1);
        try (var files = Files.list(dir.resolve("repo/data/ab"))) {
            assertThat(files.filter(p -> p.getFileName().toString().contains(".tmp")).count()).isEqualTo(1);
        }
    }

    @Test
    void getIntoReadsRangesIntoTheBuffersNativeMemoryWhichTheNextReadReuses() throws Exception {
        ObjectKey big = ObjectKey.of(ObjectKind.PACK, "cd" + "0".repeat(62));
        ObjectKey small = ObjectKey.of(ObjectKind.PACK, "cd" + "1".repeat(62));
        byte[] bigData = new byte[3 << 20];
        new java.util.Random(9).nextBytes(bigData);
        store.put(big, bigData);
        store.put(small, new byte[] {4, 5, 6});
        try (ReadBuffer buffer = new ReadBuffer()) {
            store.getInto(big, 0, 3 << 20, buffer);
            MemorySegment first = buffer.contents();
            assertThat(first.isNative()).isTrue();
            assertThat(buffer.length()).isEqualTo(3 << 20);
            assertThat(buffer.toArray()).isEqualTo(bigData);

            store.getInto(small, 0, 3, buffer);
            assertThat(buffer.length()).isEqualTo(3);
            assertThat(buffer.toArray()).containsExactly(4, 5, 6);
            assertThat(buffer.contents().address()).as("the same memory").isEqualTo(first.address());

            store.getInto(big, 1000, 5000, buffer); // a range
            assertThat(buffer.toArray()).isEqualTo(java.util.Arrays.copyOfRange(bigData, 1000, 6000));
            assertThatThrownBy(() -> store.getInto(big, 1, 3 << 20, buffer)).isInstanceOf(java.io.EOFException.class);
        }
    }

    @Test
    void writesLeaveNoTemporaryFiles() throws Exception {
        store.put(ObjectKey.of(ObjectKind.INDEX, "12345678"), new byte[10]);
        store.create(ObjectKey.CONFIG, new byte[10]);
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("."))).isEmpty();
        }
    }
}
