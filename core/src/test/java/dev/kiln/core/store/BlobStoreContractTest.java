package dev.kiln.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link BlobStore} contract; every store's test extends this and says how to make one. */
public abstract class BlobStoreContractTest {
    protected BlobStore store;

    protected abstract BlobStore newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    static ObjectKey key(ObjectKind kind, int i) {
        return ObjectKey.of(kind, String.format("%064x", i * 0x1234567L + 0xabcdef00L));
    }

    @Test
    void putThenGetReturnsTheBytes() throws Exception {
        byte[] data = "pack bytes".getBytes();
        store.put(key(ObjectKind.PACK, 1), data);
        assertThat(store.get(key(ObjectKind.PACK, 1))).isEqualTo(data);
        assertThat(store.stat(key(ObjectKind.PACK, 1)).size()).isEqualTo(data.length);
    }

    @Test
    void putReplacesAndEmptyObjectsWork() throws Exception {
        store.put(key(ObjectKind.INDEX, 1), new byte[] {1, 2, 3});
        store.put(key(ObjectKind.INDEX, 1), new byte[0]);
        assertThat(store.get(key(ObjectKind.INDEX, 1))).isEmpty();
    }

    @Test
    void missingObjectsAreReportedAsSuch() {
        ObjectKey k = key(ObjectKind.SNAPSHOT, 9);
        assertThatThrownBy(() -> store.get(k)).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.get(k, 0, 1)).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.getInto(k, 0, 1, new ReadBuffer())).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.stat(k)).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void rangedGetReturnsExactlyTheRange() throws Exception {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        ObjectKey k = key(ObjectKind.PACK, 2);
        store.put(k, data);
        assertThat(store.get(k, 1000, 500)).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 1500));
        assertThat(store.get(k, 99_990, 10)).isEqualTo(java.util.Arrays.copyOfRange(data, 99_990, 100_000));
        assertThat(store.get(k, 5, 0)).isEmpty();
        assertThatThrownBy(() -> store.get(k, 99_995, 10)).isInstanceOf(EOFException.class);
    }

    @Test
    void getIntoReadsObjectsOneAfterAnotherIntoOneBuffer() throws Exception {
        int[] sizes = {300_000, 10, 0, 1 << 20 | 7, 299_999};
        for (int i = 0; i < sizes.length; i++) {
            byte[] data = new byte[sizes[i]];
            new java.util.Random(i).nextBytes(data);
            store.put(key(ObjectKind.PACK, 100 + i), data);
        }
        ReadBuffer buffer = new ReadBuffer();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < sizes.length; i++) {
                byte[] data = store.get(key(ObjectKind.PACK, 100 + i));
                store.getInto(key(ObjectKind.PACK, 100 + i), 0, sizes[i], buffer);
                assertThat(buffer.length()).isEqualTo(sizes[i]);
                assertThat(buffer.toArray()).isEqualTo(data);
            }
        }
        assertThatThrownBy(() -> store.getInto(key(ObjectKind.PACK, 99), 0, 1, buffer)).isInstanceOf(ObjectNotFoundException.class);
        store.getInto(key(ObjectKind.PACK, 100), 1000, 500, buffer); // a range, like get(key, offset, length)
        assertThat(buffer.toArray())
                .isEqualTo(java.util.Arrays.copyOfRange(store.get(key(ObjectKind.PACK, 100)), 1000, 1500));
        assertThatThrownBy(() -> store.getInto(key(ObjectKind.PACK, 101), 5, 10, buffer)).isInstanceOf(EOFException.class);
    }

    @Test
    void createIsExclusive() throws Exception {
        store.create(ObjectKey.CONFIG, new byte[] {1});
        assertThatThrownBy(() -> store.create(ObjectKey.CONFIG, new byte[] {2})).isInstanceOf(ObjectExistsException.class);
        assertThat(store.get(ObjectKey.CONFIG)).containsExactly(1);
    }

    @Test
    void listReturnsEachKindSeparately() throws Exception {
        assertThat(store.list(ObjectKind.PACK)).isEmpty();
        for (int i = 0; i < 20; i++) {
            store.put(key(ObjectKind.PACK, i), new byte[i]);
        }
        store.put(key(ObjectKind.INDEX, 1), new byte[7]);
        store.put(ObjectKey.CONFIG, new byte[3]);
        List<ObjectInfo> packs = store.list(ObjectKind.PACK);
        assertThat(packs).hasSize(20);
        assertThat(packs).contains(new ObjectInfo(key(ObjectKind.PACK, 5), 5));
        assertThat(store.list(ObjectKind.INDEX)).containsExactly(new ObjectInfo(key(ObjectKind.INDEX, 1), 7));
        assertThat(store.list(ObjectKind.CONFIG)).containsExactly(new ObjectInfo(ObjectKey.CONFIG, 3));
        assertThat(store.list(ObjectKind.LOCK)).isEmpty();
    }

    @Test
    void deleteIsIdempotent() throws Exception {
        ObjectKey k = key(ObjectKind.LOCK, 3);
        store.put(k, new byte[1]);
        store.delete(k);
        store.delete(k);
        assertThatThrownBy(() -> store.get(k)).isInstanceOf(ObjectNotFoundException.class);
        assertThat(store.list(ObjectKind.LOCK)).isEmpty();
    }

    @Test
    void concurrentPutsAreAllVisible() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> f = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                f.add(pool.submit(() -> {
                    store.put(key(ObjectKind.PACK, n), new byte[n * 100]);
                    return null;
                }));
            }
            for (Future<?> x : f) {
                x.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(store.list(ObjectKind.PACK)).hasSize(40);
        assertThat(store.get(key(ObjectKind.PACK, 39))).hasSize(3900);
    }
}
