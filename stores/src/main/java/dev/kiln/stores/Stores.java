package dev.kiln.stores;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.wrap.ConcurrencyLimitedBlobStore;
import dev.kiln.core.store.wrap.CountingBlobStore;
import dev.kiln.core.store.wrap.LoggingBlobStore;
import dev.kiln.core.store.wrap.Pacer;
import dev.kiln.core.store.wrap.RateLimitedBlobStore;
import dev.kiln.core.store.wrap.ReadOnlyBlobStore;
import dev.kiln.core.store.wrap.RequestStats;
import dev.kiln.core.store.wrap.RetryingBlobStore;
import dev.kiln.stores.local.LocalBlobStore;
import dev.kiln.stores.s3.S3BlobStore;
import dev.kiln.stores.s3.S3Location;
import java.nio.file.Path;
import java.util.Random;

/**
 * Turns a repository location into a store stack; the only place where stores are composed. From the outside in:
 * read-only (when asked) → logging (debug) → retrying → concurrency limit (S3) → rate limits → [test hook] →
 * request counting → the real store (local directory or S3).
 */
public final class Stores {
    private Stores() {
    }

    /** Whether the location names an S3 repository. */
    public static boolean isS3(String location) {
        return location.startsWith("s3:");
    }

    /**
     * Opens the store stack for a location: a path, {@code file:/path}, {@code s3://bucket/prefix} or
     * {@code s3:http(s)://host:port/bucket/prefix}.
     * @throws IllegalArgumentException for a location kiln cannot use
     */
    public static OpenedStore open(String location, StoreOptions options) {
        RequestStats stats = new RequestStats();
        BlobStore store;
        if (isS3(location)) {
            store = new S3BlobStore(S3Location.parse(location), options.s3(), stats);
        } else {
            store = new CountingBlobStore(new LocalBlobStore(Path.of(localPath(location))), stats, 1000);
        }
        store = options.underRetries().apply(store);
        if (options.uploadLimit() > 0 || options.downloadLimit() > 0) {
            store = new RateLimitedBlobStore(store, options.uploadLimit(), options.downloadLimit(), Pacer.SYSTEM);
        }
        if (isS3(location)) {
            store = new ConcurrencyLimitedBlobStore(store, options.s3().connections());
        }
        store = new RetryingBlobStore(store, options.retries(), Pacer.SYSTEM, new Random() /* jitter, not secrets: no SecureRandom set-up at start */, options.retryLog());
        if (options.debug().isPresent()) {
            store = new LoggingBlobStore(store, options.debug().get());
        }
        if (options.readOnly()) {
            store = new ReadOnlyBlobStore(store);
        }
        return new OpenedStore(store, stats);
    }

    private static String localPath(String location) {
        if (location.startsWith("file:")) {
            location = location.substring("file:".length());
            if (location.startsWith("//")) {
                location = location.substring(2);
            }
        }
        if (location.isEmpty()) {
            throw new IllegalArgumentException("empty repository location");
        }
        return location;
    }
}
