package dev.kiln.core.store.wrap;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ReadBuffer;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Limits upload and download rates (bytes per second; 0 means no limit). Each transfer reserves its bytes on a
 * shared timeline and waits until its share of the rate allows it; over any period the bytes moved stay within
 * rate × period plus one object.
 */
public final class RateLimitedBlobStore extends ForwardingBlobStore {
    private final Bucket up;
    private final Bucket down;

    public RateLimitedBlobStore(BlobStore delegate, long uploadBytesPerSecond, long downloadBytesPerSecond, Pacer pacer) {
        super(delegate);
        this.up = new Bucket(uploadBytesPerSecond, pacer);
        this.down = new Bucket(downloadBytesPerSecond, pacer);
    }

    static final class Bucket {
        private final long rate;
        private final Pacer pacer;
        private long nextFree;

        Bucket(long rate, Pacer pacer) {
            this.rate = rate;
            this.pacer = pacer;
            this.nextFree = pacer.nanoTime();
        }

        void take(long bytes) throws InterruptedIOException {
            if (rate <= 0 || bytes <= 0) {
                return;
            }
            long wait;
            synchronized (this) {
                long now = pacer.nanoTime();
                long start = Math.max(now, nextFree);
                nextFree = start + bytes * 1_000_000_000L / rate;
                wait = start - now;
            }
            try {
                pacer.sleepNanos(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while rate-limited");
            }
        }
    }

    @Override
    public void put(ObjectKey key, byte[] data) throws IOException {
        up.take(data.length);
        super.put(key, data);
    }

    @Override
    public void create(ObjectKey key, byte[] data) throws IOException {
        up.take(data.length);
        super.create(key, data);
    }

    @Override
    public byte[] get(ObjectKey key) throws IOException {
        byte[] b = super.get(key);
        down.take(b.length);
        return b;
    }

    @Override
    public void getInto(ObjectKey key, long offset, int length, ReadBuffer into) throws IOException {
        down.take(length);
        delegate.getInto(key, offset, length, into);
    }

    @Override
    public byte[] get(ObjectKey key, long offset, int length) throws IOException {
        down.take(length);
        return super.get(key, offset, length);
    }
}
