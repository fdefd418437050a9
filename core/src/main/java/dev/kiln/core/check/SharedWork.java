package dev.kiln.core.check;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Items (packs) on a few threads, each item on one thread, taken in the order given; a thread that has no item left
 * helps the others with the part of theirs they {@link #share}: slices (runs of blobs) that any idle thread may take.
 * Without it the read-back ended on one thread, on its last pack, while the other core idled: check --read-data of
 * src spent its last ~80 ms so.
 */
final class SharedWork<T> implements AutoCloseable {
    @FunctionalInterface
    interface ItemTask<T> {
        void run(T item) throws IOException;
    }

    @FunctionalInterface
    interface SliceTask {
        void run(int slice) throws IOException;
    }

    private final ExecutorService pool;
    private final int threads;
    private final ConcurrentLinkedQueue<Shared> open = new ConcurrentLinkedQueue<>();
    private final Object signal = new Object();
    /** Threads still taking items (guarded by {@link #signal}); helpers stop when it reaches zero. */
    private int owners;
    /** Bumped when a slice job is published or an owner stops (guarded by {@link #signal}). */
    private long generation;
    private List<Future<?>> running = List.of();

    SharedWork(int threads, String name) {
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the items on the threads and returns; {@link #await} waits for them. Once per instance. */
    void start(List<T> items, ItemTask<T> task) {
        AtomicInteger next = new AtomicInteger();
        // (All threads even for fewer items: those without one help with the others' slices.)
        int n = items.isEmpty() ? 0 : threads;
        synchronized (signal) {
            owners = n;
        }
        List<Future<?>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(() -> {
                try {
                    int at;
                    while ((at = next.getAndIncrement()) < items.size()) {
                        task.run(items.get(at));
                    }
                } finally {
                    synchronized (signal) {
                        owners--;
                        generation++;
                        signal.notifyAll();
                    }
                }
                help();
                return null;
            }));
        }
        running = futures;
    }

    /** Waits for every item; rethrows the first failure (the others stop taking items). */
    void await() throws IOException {
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            pool.shutdownNow();
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException re -> throw re;
                case Error err -> throw err;
                default -> throw new IOException(e.getCause());
            }
        }
    }

    /**
     * Runs {@code slice} for 0 .. count-1: on this thread, and on any thread of this pool that has no item left.
     * Returns when every slice has run (also those other threads took), then rethrows the first failure.
     */
    void share(int count, SliceTask slice) throws IOException {
        Shared job = new Shared(count, slice);
        open.add(job);
        synchronized (signal) {
            generation++;
            signal.notifyAll();
        }
        job.work();
        open.remove(job);
        job.awaitDone();
        switch (job.failure.get()) {
            case null -> {
            }
            case IOException io -> throw io;
            case RuntimeException re -> throw re;
            case Error err -> throw err;
            case Throwable t -> throw new IOException(t);
        }
    }

    /** Takes slices of the items still running until every owner has stopped. */
    private void help() throws InterruptedException {
        while (true) {
            long seen;
            synchronized (signal) {
                seen = generation;
            }
            boolean worked = false;
            for (Shared job : open) {
                worked |= job.work();
            }
            if (worked) {
                continue;
            }
            synchronized (signal) {
                if (owners == 0) {
                    return;
                }
                if (generation == seen) {
                    signal.wait();
                }
            }
        }
    }

    /**
     * Stops the threads (interrupting them, after a failure) and waits for them to end (up to 30 s: a read from a
     * remote store may not heed the interrupt), so that what they read (the packs' buffers, which the check then
     * closes) is no longer in use.
     */
    @Override
    public void close() {
        pool.shutdownNow();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        boolean interrupted = false;
        while (!pool.isTerminated() && System.nanoTime() < deadline) {
            try {
                pool.awaitTermination(deadline - System.nanoTime(), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One item's slices: claimed one at a time, counted when done. */
    private static final class Shared {
        final int count;
        final SliceTask slice;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Shared(int count, SliceTask slice) {
            this.count = count;
            this.slice = slice;
        }

        /** Runs unclaimed slices until none is left; whether it ran any. */
        boolean work() {
            boolean any = false;
            int s;
            while ((s = next.getAndIncrement()) < count) {
                any = true;
                try {
                    slice.run(s);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                if (done.incrementAndGet() == count) {
                    synchronized (this) {
                        notifyAll();
                    }
                }
            }
            return any;
        }

        /**
         * Until the slices other threads took have run: they read what the owner will reuse (its pack buffer).
         * Not interruptible for that reason (a slice takes milliseconds); the interrupt is kept.
         */
        synchronized void awaitDone() {
            boolean interrupted = false;
            while (done.get() < count) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
