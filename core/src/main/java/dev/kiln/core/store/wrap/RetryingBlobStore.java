package dev.kiln.core.store.wrap;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.ObjectExistsException;
import dev.kiln.core.store.ObjectInfo;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ReadBuffer;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.store.TransientStoreException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Retries {@link TransientStoreException}s with exponential backoff and full jitter, within a total time budget per
 * call; every other failure is passed on at once. A retried put sends the same bytes. Each retry is announced.
 * A {@code create} whose earlier attempt may have landed treats "already exists with these very bytes" as success.
 */
public final class RetryingBlobStore extends ForwardingBlobStore {
    public record Policy(Duration firstDelay, Duration maxDelay, Duration budget) {
        public static final Policy DEFAULT = new Policy(Duration.ofMillis(200), Duration.ofSeconds(20), Duration.ofMinutes(5));
    }

    private final Policy policy;
    private final Pacer pacer;
    private final Random random;
    private final Consumer<String> onRetry;

    public RetryingBlobStore(BlobStore delegate, Policy policy, Pacer pacer, Random random, Consumer<String> onRetry) {
        super(delegate);
        this.policy = policy;
        this.pacer = pacer;
        this.random = random;
        this.onRetry = onRetry;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T retry(String what, Call<T> call) throws IOException {
        long deadline = pacer.nanoTime() + policy.budget().toNanos();
        long ceiling = policy.firstDelay().toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (TransientStoreException e) {
                long now = pacer.nanoTime();
                long delay;
                synchronized (random) {
                    delay = (long) (random.nextDouble() * ceiling);
                }
                if (now + delay >= deadline) {
                    throw new IOException(what + ": giving up after " + attempt + " attempts: " + e.getMessage(), e);
                }
                onRetry.accept(what + " failed (" + e.getMessage() + "); retry " + attempt + " in " + delay / 1_000_000 + " ms");
                try {
                    pacer.sleepNanos(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException(what + ": interrupted while waiting to retry");
                }
                ceiling = Math.min(ceiling * 2, policy.maxDelay().toNanos());
            }
        }
    }

    @Override
    public void put(ObjectKey key, byte[] data) throws IOException {
        retry("put " + key, () -> {
            super.put(key, data);
            return null;
        });
    }

    @Override
    public void create(ObjectKey key, byte[] data) throws IOException {
        boolean[] failedBefore = {false};
        retry("create " + key, () -> {
            try {
                super.create(key, data);
            } catch (TransientStoreException e) {
                failedBefore[0] = true;
                throw e;
            } catch (ObjectExistsException e) {
                if (!failedBefore[0] || !Arrays.equals(super.get(key), data)) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public byte[] get(ObjectKey key) throws IOException {
        return retry("get " + key, () -> super.get(key));
    }

    @Override
    public void getInto(ObjectKey key, long offset, int length, ReadBuffer into) throws IOException {
        retry("get " + key, () -> {
            delegate.getInto(key, offset, length, into);
            if (into.length() != length) { // a cut-off body, as for get(key, offset, length)
                throw new TransientStoreException(key + ": short read, " + into.length() + " of " + length + " bytes");
            }
            return null;
        });
    }

    @Override
    public byte[] get(ObjectKey key, long offset, int length) throws IOException {
        return retry("get " + key, () -> {
            byte[] b = super.get(key, offset, length);
            if (b.length != length) { // a cut-off body: the contract says exactly length bytes
                throw new TransientStoreException(key + ": short read, " + b.length + " of " + length + " bytes");
            }
            return b;
        });
    }

    @Override
    public ObjectInfo stat(ObjectKey key) throws IOException {
        return retry("stat " + key, () -> super.stat(key));
    }

    @Override
    public List<ObjectInfo> list(ObjectKind kind) throws IOException {
        return retry("list " + kind.directory(), () -> super.list(kind));
    }

    @Override
    public void deleteAll(List<ObjectKey> keys) throws IOException {
        retry("delete " + keys.size() + " objects", () -> {
            super.deleteAll(keys);
            return null;
        });
    }

    @Override
    public void delete(ObjectKey key) throws IOException {
        retry("delete " + key, () -> {
            super.delete(key);
            return null;
        });
    }
}
