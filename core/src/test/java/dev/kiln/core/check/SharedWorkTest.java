package dev.kiln.core.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.id.BlobId;
import dev.kiln.core.pack.BlobType;
import dev.kiln.core.compress.Compression;
import dev.kiln.core.pack.PackEntry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SharedWorkTest {

    @Test
    void everyItemAndEverySliceRunsOnce() throws IOException {
        int items = 40;
        int slices = 25;
        AtomicIntegerArray itemRuns = new AtomicIntegerArray(items);
        AtomicIntegerArray sliceRuns = new AtomicIntegerArray(items * slices);
        try (SharedWork<Integer> work = new SharedWork<>(4, "test")) {
            work.start(IntStream.range(0, items).boxed().toList(), item -> {
                itemRuns.incrementAndGet(item);
                work.share(slices, s -> sliceRuns.incrementAndGet(item * slices + s));
            });
            work.await();
        }
        for (int i = 0; i < items; i++) {
            assertThat(itemRuns.get(i)).as("item %d", i).isEqualTo(1);
        }
        for (int i = 0; i < items * slices; i++) {
            assertThat(sliceRuns.get(i)).as("slice %d", i).isEqualTo(1);
        }
    }

    @Test
    void threadsWithoutItemsHelpWithTheLastOnesSlices() throws IOException {
        // One item, four threads: the item's owner takes the first slice and holds it until another thread has
        // taken one, so the share can only finish if the idle threads help.
        CountDownLatch helped = new CountDownLatch(1);
        try (SharedWork<String> work = new SharedWork<>(4, "test")) {
            work.start(List.of("only"), item -> {
                String owner = Thread.currentThread().getName() + Thread.currentThread().threadId();
                work.share(8, s -> {
                    String me = Thread.currentThread().getName() + Thread.currentThread().threadId();
                    if (!me.equals(owner)) {
                        helped.countDown();
                    } else if (s == 0) {
                        try {
                            assertThat(helped.await(10, TimeUnit.SECONDS)).as("another thread took a slice").isTrue();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                });
            });
            work.await();
        }
        assertThat(helped.getCount()).as("a thread other than the owner ran a slice").isZero();
    }

    @Test
    void shareReturnsOnlyOnceTheSlicesOthersTookHaveRun() throws IOException {
        // The owner must not reuse what its slices read (its pack buffer) while a helper still runs one.
        AtomicIntegerArray finished = new AtomicIntegerArray(1);
        CountDownLatch helperStarted = new CountDownLatch(1);
        try (SharedWork<String> work = new SharedWork<>(2, "test")) {
            work.start(List.of("only"), item -> {
                long owner = Thread.currentThread().threadId();
                work.share(2, s -> {
                    if (Thread.currentThread().threadId() != owner) {
                        helperStarted.countDown();
                        sleep(300);
                        finished.incrementAndGet(0);
                    } else {
                        try {
                            helperStarted.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                });
                assertThat(helperStarted.getCount()).as("the helper took a slice").isZero();
                assertThat(finished.get(0)).as("the helper's slice had ended when share returned").isEqualTo(1);
            });
            work.await();
        }
    }

    @Test
    void aSliceFailureReachesTheCaller() {
        try (SharedWork<String> work = new SharedWork<>(3, "test")) {
            work.start(List.of("a", "b"), item -> work.share(10, s -> {
                if (item.equals("b") && s == 7) {
                    throw new IOException("slice 7 of b failed");
                }
            }));
            assertThatThrownBy(work::await).isInstanceOf(IOException.class).hasMessage("slice 7 of b failed");
        }
    }

    @Test
    void anItemFailureReachesTheCallerAndNoItemIsLeftWaiting() {
        try (SharedWork<Integer> work = new SharedWork<>(2, "test")) {
            work.start(List.of(1, 2, 3), item -> {
                if (item == 2) {
                    throw new IllegalStateException("item 2");
                }
                work.share(3, s -> sleep(5));
            });
            assertThatThrownBy(work::await).isInstanceOf(IllegalStateException.class).hasMessage("item 2");
        }
    }

    @Test
    void closeReturnsOnceTheThreadsHaveStopped() {
        // After a failure the check closes the packs' buffers: no thread may still be reading one.
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        SharedWork<Integer> work = new SharedWork<>(2, "test");
        work.start(List.of(1, 2), item -> {
            if (item == 1) {
                try {
                    started.await(10, TimeUnit.SECONDS); // fails only once item 2 runs
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                throw new IOException("item 1");
            }
            running.set(true);
            started.countDown();
            long end = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait(); // heeds no interrupt, as a slice of work does not
            }
            running.set(false);
        });
        assertThatThrownBy(work::await).hasMessage("item 1");
        work.close();
        assertThat(running.get()).as("still running after close").isFalse();
    }

    @Test
    void noItemsIsNoWork() throws IOException {
        try (SharedWork<String> work = new SharedWork<>(2, "test")) {
            work.start(List.of(), item -> {
                throw new AssertionError("no item to run");
            });
            work.await();
        }
    }

    @Test
    void checkSlicesAPacksBlobsInRunsOfAboutHalfAMebibyte() {
        // 100 blobs of 100 KiB: runs of six (the sixth takes a run past 512 KiB), sixteen of them, then four.
        List<PackEntry> entries = IntStream.range(0, 100)
                .mapToObj(i -> new PackEntry(BlobType.DATA, BlobId.fromBytes(new byte[32]), i * 102_400, 102_400, 200_000, Compression.ZSTD))
                .toList();
        int[] starts = Checker.slices(entries);
        assertThat(starts[0]).isZero();
        assertThat(starts[starts.length - 1]).isEqualTo(100);
        for (int i = 1; i < starts.length - 1; i++) {
            assertThat(starts[i] - starts[i - 1]).isEqualTo(6);
        }
        assertThat(starts).hasSize(17 + 1);
        assertThat(Checker.slices(List.of())).containsExactly(0);
        assertThat(Checker.slices(entries.subList(0, 1))).containsExactly(0, 1);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
