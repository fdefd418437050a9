package dev.kiln.stores.s3;

import java.net.URI;
import java.util.Optional;

/**
 * Where a repository lives in S3: {@code s3://bucket/prefix} (AWS; region and credentials from the SDK's chain)
 * or {@code s3:http(s)://host:port/bucket/prefix} (any S3-compatible endpoint, path-style).
 */
public record S3Location(Optional<URI> endpoint, String bucket, String prefix) {
    public static S3Location parse(String location) {
        if (location.startsWith("s3://")) {
            return split(Optional.empty(), location.substring("s3://".length()), location);
        }
        if (location.startsWith("s3:http://") || location.startsWith("s3:https://")) {
            URI uri = URI.create(location.substring("s3:".length()));
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host in " + location);
            }
            URI endpoint = URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
            String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            return split(Optional.of(endpoint), path, location);
        }
        throw new IllegalArgumentException("not an S3 location: " + location + " (s3://bucket/prefix or s3:https://host:port/bucket/prefix)");
    }

    private static S3Location split(Optional<URI> endpoint, String rest, String location) {
        String trimmed = rest.replaceAll("/+$", "");
        int slash = trimmed.indexOf('/');
        String bucket = slash < 0 ? trimmed : trimmed.substring(0, slash);
        String prefix = slash < 0 ? "" : trimmed.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("no bucket in " + location);
        }
        return new S3Location(endpoint, bucket, prefix);
    }

    /** The object key for a path below the prefix. */
    String key(String path) {
        return prefix.isEmpty() ? path : prefix + "/" + path;
    }

    @Override
    public String toString() {
        return endpoint.map(e -> "s3:" + e + "/").orElse("s3://") + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
