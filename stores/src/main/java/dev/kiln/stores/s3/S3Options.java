package dev.kiln.stores.s3;

import java.time.Duration;
import java.util.Optional;

/**
 * Knobs of the S3 store. {@code checksums}: {@code when-supported} (the SDK's default flexible checksums) or
 * {@code when-required} (for S3-compatible servers that reject them). Credentials: when both keys are given they
 * are used, otherwise the SDK's default chain (environment, profile, instance role).
 */
public record S3Options(Optional<String> region, boolean pathStyle, Optional<String> packStorageClass, String checksums,
                        int connections, long multipartThreshold, int partSize, Duration timeout,
                        Optional<String> accessKey, Optional<String> secretKey) {
    public static final long DEFAULT_MULTIPART_THRESHOLD = 64L << 20;

    public S3Options {
        if (!checksums.equals("when-supported") && !checksums.equals("when-required")) {
            throw new IllegalArgumentException("--s3-checksums must be when-supported or when-required");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1");
        }
        if (partSize < (5 << 20)) {
            throw new IllegalArgumentException("S3 parts must be at least 5 MiB");
        }
    }

    public static S3Options defaults() {
        return new S3Options(Optional.empty(), true, Optional.empty(), "when-supported", 8, DEFAULT_MULTIPART_THRESHOLD,
                16 << 20, Duration.ofSeconds(60), Optional.empty(), Optional.empty());
    }

    public S3Options withCredentials(String access, String secret) {
        return new S3Options(region, pathStyle, packStorageClass, checksums, connections, multipartThreshold, partSize, timeout,
                Optional.of(access), Optional.of(secret));
    }

    public S3Options withRegion(String r) {
        return new S3Options(Optional.ofNullable(r), pathStyle, packStorageClass, checksums, connections, multipartThreshold, partSize,
                timeout, accessKey, secretKey);
    }

    public S3Options withMultipart(long threshold, int part) {
        return new S3Options(region, pathStyle, packStorageClass, checksums, connections, threshold, part, timeout, accessKey, secretKey);
    }

    public S3Options with(boolean pathStyle, Optional<String> storageClass, String checksums, int connections) {
        return new S3Options(region, pathStyle, storageClass, checksums, connections, multipartThreshold, partSize, timeout,
                accessKey, secretKey);
    }
}
