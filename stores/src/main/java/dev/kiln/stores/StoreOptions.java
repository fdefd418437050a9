package dev.kiln.stores;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.wrap.RetryingBlobStore;
import dev.kiln.stores.s3.S3Options;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * How to build a store stack. Limits are bytes per second (0: none). {@code underRetries} is applied directly above
 * the real store (tests put a fault injector there); {@code debug} receives one line per request.
 */
public record StoreOptions(S3Options s3, long uploadLimit, long downloadLimit, boolean readOnly,
                           RetryingBlobStore.Policy retries, Consumer<String> retryLog, Optional<Consumer<String>> debug,
                           UnaryOperator<BlobStore> underRetries) {
    public static StoreOptions defaults() {
        return new StoreOptions(S3Options.defaults(), 0, 0, false, RetryingBlobStore.Policy.DEFAULT, m -> { },
                Optional.empty(), UnaryOperator.identity());
    }

    public StoreOptions readOnly(boolean ro) {
        return new StoreOptions(s3, uploadLimit, downloadLimit, ro, retries, retryLog, debug, underRetries);
    }

    public StoreOptions withS3(S3Options o) {
        return new StoreOptions(o, uploadLimit, downloadLimit, readOnly, retries, retryLog, debug, underRetries);
    }

    public StoreOptions withLimits(long up, long down) {
        return new StoreOptions(s3, up, down, readOnly, retries, retryLog, debug, underRetries);
    }

    public StoreOptions withRetries(RetryingBlobStore.Policy p, Consumer<String> log) {
        return new StoreOptions(s3, uploadLimit, downloadLimit, readOnly, p, log, debug, underRetries);
    }

    public StoreOptions withDebug(Consumer<String> log) {
        return new StoreOptions(s3, uploadLimit, downloadLimit, readOnly, retries, retryLog, Optional.of(log), underRetries);
    }

    public StoreOptions withUnderRetries(UnaryOperator<BlobStore> decorator) {
        return new StoreOptions(s3, uploadLimit, downloadLimit, readOnly, retries, retryLog, debug, decorator);
    }
}
