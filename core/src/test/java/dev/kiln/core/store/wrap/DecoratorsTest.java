package dev.kiln.core.store.wrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.store.FaultyBlobStore;
import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.MemoryBlobStore;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.store.ReadBuffer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecoratorsTest {
    /** A clock that moves only when someone sleeps. */
    static final class FakePacer implements Pacer {
        long now;
        final List<Long> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            sleeps.add(nanos);
            now += Math.max(0, nanos);
        }
    }

    static final ObjectKey PACK = ObjectKey.of(ObjectKind.PACK, "ab".repeat(32));
    static final RetryingBlobStore.Policy POLICY = new RetryingBlobStore.Policy(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30));

    @Test
    void transientFailuresAreRetriedWithGrowingJitteredDelays() throws Exception {
        FaultyBlobStore faulty = new FaultyBlobStore(new MemoryBlobStore(), 1).when(FaultyBlobStore.Op.PUT).times(4).failTransiently();
        FakePacer pacer = new FakePacer();
        List<String> messages = new ArrayList<>();
        RetryingBlobStore store = new RetryingBlobStore(faulty, POLICY, pacer, new Random(2), messages::add);
        store.put(PACK, new byte[] {1, 2, 3});
        assertThat(store.get(PACK)).containsExactly(1, 2, 3);
        assertThat(messages).hasSize(4).allMatch(m -> m.contains("put pack abababab") && m.contains("retry"));
        assertThat(pacer.sleeps).hasSize(4).allMatch(s -> s >= 0 && s <= Duration.ofSeconds(2).toNanos());
        assertThat(pacer.sleeps.get(3)).isLessThanOrEqualTo(800_000_000L); // ceiling 100ms·2^3
    }

    @Test
    void permanentFailuresAreNotRetriedAndTheBudgetEndsRetries() {
        FaultyBlobStore faulty = new FaultyBlobStore(new MemoryBlobStore(), 1).when(FaultyBlobStore.Op.GET).failPermanently("403 AccessDenied");
        FakePacer pacer = new FakePacer();
        RetryingBlobStore store = new RetryingBlobStore(faulty, POLICY, pacer, new Random(2), m -> { });
        assertThatThrownBy(() -> store.get(PACK)).hasMessage("403 AccessDenied");
        assertThat(pacer.sleeps).isEmpty();

        FaultyBlobStore down = new FaultyBlobStore(new MemoryBlobStore(), 1).when(FaultyBlobStore.Op.LIST).failTransiently();
        RetryingBlobStore retrying = new RetryingBlobStore(down, POLICY, pacer, new Random(3), m -> { });
        assertThatThrownBy(() -> retrying.list(ObjectKind.INDEX)).isInstanceOf(IOException.class).hasMessageContaining("giving up after");
        assertThat(pacer.now).isLessThanOrEqualTo(Duration.ofSeconds(30).toNanos());
    }

    @Test
    void aCreateThatLandedBeforeItsFailureCountsAsDone() throws Exception {
        MemoryBlobStore memory = new MemoryBlobStore();
        FaultyBlobStore faulty = new FaultyBlobStore(memory, 1).when(FaultyBlobStore.Op.CREATE).times(1).landThenFail();
        RetryingBlobStore store = new RetryingBlobStore(faulty, POLICY, new FakePacer(), new Random(1), m -> { });
        store.create(ObjectKey.CONFIG, new byte[] {7});
        assertThat(memory.get(ObjectKey.CONFIG)).containsExactly(7);
        assertThatThrownBy(() -> store.create(ObjectKey.CONFIG, new byte[] {8})).isInstanceOf(dev.kiln.core.store.ObjectExistsException.class);
    }

    @Test
    void shortReadsAreRetried() throws Exception {
        MemoryBlobStore memory = new MemoryBlobStore();
        memory.put(PACK, new byte[100]);
        FaultyBlobStore faulty = new FaultyBlobStore(memory, 1).when(FaultyBlobStore.Op.GET).times(2).truncate();
        RetryingBlobStore store = new RetryingBlobStore(faulty, POLICY, new FakePacer(), new Random(1), m -> { });
        assertThat(store.get(PACK, 10, 50)).hasSize(50);
        assertThat(faulty.injected()).isEqualTo(2);
        faulty.when(FaultyBlobStore.Op.GET).times(2).truncate();
        ReadBuffer buffer = new ReadBuffer(); // into a buffer: the same (check reads packs so, at their listed size)
        store.getInto(PACK, 0, 100, buffer);
        assertThat(buffer.length()).isEqualTo(100);
        assertThat(faulty.injected()).isEqualTo(4);
    }

    @Test
    void rateLimitSpacesTransfers() throws Exception {
        FakePacer pacer = new FakePacer();
        RateLimitedBlobStore store = new RateLimitedBlobStore(new MemoryBlobStore(), 1000, 500, pacer);
        for (int i = 0; i < 5; i++) {
            store.put(ObjectKey.of(ObjectKind.INDEX, String.format("%08x", i)), new byte[1000]);
        }
        assertThat(pacer.now).isEqualTo(4_000_000_000L); // 5000 bytes at 1000 B/s: the fifth starts at 4 s
        long before = pacer.now;
        store.get(ObjectKey.of(ObjectKind.INDEX, "00000000"));
        store.get(ObjectKey.of(ObjectKind.INDEX, "00000001"));
        assertThat(pacer.now - before).isEqualTo(2_000_000_000L);
    }

    @Test
    void wholeReadsIntoABufferGoThroughEveryDecorator() throws Exception {
        MemoryBlobStore memory = new MemoryBlobStore();
        memory.put(PACK, new byte[] {1, 2, 3, 4});
        // A decorator that changes get(key, offset, length) is not bypassed by getInto (the fault-injecting test store is one).
        FaultyBlobStore faulty = new FaultyBlobStore(memory, 1).when(FaultyBlobStore.Op.GET).times(2).failTransiently();
        RequestStats stats = new RequestStats();
        FakePacer pacer = new FakePacer();
        List<String> log = new ArrayList<>();
        BlobStore store = new ReadOnlyBlobStore(new ConcurrencyLimitedBlobStore(new LoggingBlobStore(
                new RetryingBlobStore(new RateLimitedBlobStore(new CountingBlobStore(faulty, stats, 1000), 0, 2, pacer),
                        POLICY, pacer, new Random(4), m -> { }), log::add), 1));
        ReadBuffer buffer = new ReadBuffer();
        store.getInto(PACK, 0, 4, buffer);
        assertThat(buffer.toArray()).containsExactly(1, 2, 3, 4);
        assertThat(faulty.injected()).isEqualTo(2); // retried twice
        assertThat(stats.snapshot().get()).isEqualTo(3);
        assertThat(stats.snapshot().bytesDownloaded()).isEqualTo(4);
        assertThat(log).anyMatch(m -> m.contains("GET " + PACK));
        long before = pacer.now;
        store.getInto(PACK, 0, 4, buffer);
        assertThat(pacer.now - before).isEqualTo(2_000_000_000L); // 4 bytes at 2 B/s
        ObjectKey absent = ObjectKey.of(ObjectKind.PACK, "cd".repeat(32));
        assertThatThrownBy(() -> store.getInto(absent, 0, 4, buffer)).isInstanceOf(dev.kiln.core.store.ObjectNotFoundException.class);

        // Where no decorator changes get(), the reads of the store underneath into the caller's memory reach the caller.
        BlobStore reusing = new ForwardingBlobStore(memory) {
            @Override
            public void getInto(ObjectKey key, long offset, int length, ReadBuffer into) throws IOException {
                byte[] b = delegate.get(key, offset, length);
                java.lang.foreign.MemorySegment.copy(java.lang.foreign.MemorySegment.ofArray(b), 0, into.prepare(b.length), 0, b.length);
            }
        };
        BlobStore production = new ReadOnlyBlobStore(new ConcurrencyLimitedBlobStore(new LoggingBlobStore(
                new RetryingBlobStore(new RateLimitedBlobStore(new CountingBlobStore(reusing, stats, 1000), 0, 0, pacer),
                        POLICY, pacer, new Random(5), m -> { }), log::add), 1));
        ReadBuffer reused = new ReadBuffer();
        production.getInto(PACK, 0, 4, reused);
        long address = reused.contents().address();
        production.getInto(PACK, 0, 4, reused);
        assertThat(reused.contents().address()).isEqualTo(address);
        assertThat(reused.toArray()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void countingReadOnlyAndConcurrencyLimit() throws Exception {
        RequestStats stats = new RequestStats();
        CountingBlobStore counting = new CountingBlobStore(new MemoryBlobStore(), stats, 1000);
        counting.put(PACK, new byte[10]);
        counting.get(PACK, 0, 5);
        counting.list(ObjectKind.PACK);
        counting.stat(PACK);
        counting.delete(PACK);
        assertThat(stats.snapshot()).isEqualTo(new RequestStats.Snapshot(1, 1, 1, 1, 1, 10, 5));

        ReadOnlyBlobStore ro = new ReadOnlyBlobStore(counting);
        assertThatThrownBy(() -> ro.put(PACK, new byte[1])).hasMessageContaining("read-only");
        ro.put(ObjectKey.of(ObjectKind.LOCK, "12345678"), new byte[1]); // readers still take locks

        ConcurrencyLimitedBlobStore limited = new ConcurrencyLimitedBlobStore(counting, 1);
        limited.put(PACK, new byte[1]);
        assertThat(limited.get(PACK)).hasSize(1);
    }
}
