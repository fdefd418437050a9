package dev.kiln.core.store.wrap;

import java.util.concurrent.atomic.AtomicLong;

/** Requests made to a store, by kind, and bytes moved: what a user of a paid object store is billed for. */
public final class RequestStats {
    final AtomicLong puts = new AtomicLong();
    final AtomicLong gets = new AtomicLong();
    final AtomicLong lists = new AtomicLong();
    final AtomicLong deletes = new AtomicLong();
    final AtomicLong heads = new AtomicLong();
    final AtomicLong bytesUp = new AtomicLong();
    final AtomicLong bytesDown = new AtomicLong();

    /** An immutable copy. */
    public record Snapshot(long put, long get, long list, long delete, long head, long bytesUploaded, long bytesDownloaded) {
        public long total() {
            return put + get + list + delete + head;
        }
    }

    /** What a store implementation calls to count the requests it makes. */
    public final class Recorder {
        public void put(long bytes) {
            puts.incrementAndGet();
            bytesUp.addAndGet(bytes);
        }

        public void get(long bytes) {
            gets.incrementAndGet();
            bytesDown.addAndGet(bytes);
        }

        public void list() {
            lists.incrementAndGet();
        }

        public void delete() {
            deletes.incrementAndGet();
        }

        public void head() {
            heads.incrementAndGet();
        }
    }

    public Recorder recorder() {
        return new Recorder();
    }

    public Snapshot snapshot() {
        return new Snapshot(puts.get(), gets.get(), lists.get(), deletes.get(), heads.get(), bytesUp.get(), bytesDown.get());
    }
}
