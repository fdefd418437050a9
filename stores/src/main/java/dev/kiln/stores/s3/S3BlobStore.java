package dev.kiln.stores.s3;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.ObjectExistsException;
import dev.kiln.core.store.ObjectInfo;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.store.ObjectNotFoundException;
import dev.kiln.core.store.TransientStoreException;
import dev.kiln.core.store.wrap.RequestStats;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3 bucket under a prefix, laid out like the local store ({@code data/<2 hex>/<id>} for packs).
 *
 * <ul>
 *   <li>Objects up to {@link S3Options#multipartThreshold()} go up in one PUT; larger ones as multipart uploads.</li>
 *   <li>{@link #create} uses {@code If-None-Match: *} (a conditional write), after a HEAD for servers that ignore it.</li>
 *   <li>Listings are paginated; {@link #deleteAll} uses batch deletes of up to 1000 keys.</li>
 *   <li>The SDK does not retry: kiln's retry layer is the only one. Timeouts, resets, 5xx and throttling are
 *       reported as {@link TransientStoreException}; 403, a missing bucket and bad ranges are permanent.</li>
 *   <li>Every HTTP request is counted in the given {@link RequestStats}.</li>
 * </ul>
 */
public final class S3BlobStore implements BlobStore {
    private final S3Client s3;
    private final S3Location location;
    private final S3Options options;
    private final RequestStats.Recorder stats;

    public S3BlobStore(S3Location location, S3Options options, RequestStats stats) {
        this.location = location;
        this.options = options;
        this.stats = stats.recorder();
        var builder = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(options.connections())
                        .connectionTimeout(java.time.Duration.ofSeconds(10)).socketTimeout(options.timeout()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(options.timeout())
                        .build())
                .forcePathStyle(location.endpoint().isPresent() || options.pathStyle());
        if (options.checksums().equals("when-required")) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        location.endpoint().ifPresent(builder::endpointOverride);
        builder.region(Region.of(options.region().orElse(location.endpoint().isPresent() ? "us-east-1" : defaultRegion())));
        builder.credentialsProvider(credentials(options));
        this.s3 = builder.build();
    }

    private static String defaultRegion() {
        String r = System.getenv("AWS_REGION");
        if (r == null || r.isEmpty()) {
            r = System.getenv("AWS_DEFAULT_REGION");
        }
        return r == null || r.isEmpty() ? "us-east-1" : r;
    }

    private static AwsCredentialsProvider credentials(S3Options o) {
        if (o.accessKey().isPresent() && o.secretKey().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(o.accessKey().get(), o.secretKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    String keyOf(ObjectKey key) {
        return location.key(switch (key.kind()) {
            case CONFIG -> "config";
            case PACK -> ObjectKind.PACK.directory() + "/" + key.name().substring(0, 2) + "/" + key.name();
            default -> key.kind().directory() + "/" + key.name();
        });
    }

    @FunctionalInterface
    private interface Call<T> {
        T run();
    }

    /** Runs an SDK call, translating its exceptions; {@code what} names the object in messages. */
    private <T> T call(String what, ObjectKey key, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (S3Exception e) {
            int status = e.statusCode();
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            String msg = what + ": S3 " + status + (code == null || code.isEmpty() ? "" : " " + code);
            if (status == 404 && key != null && !"NoSuchBucket".equals(code)) {
                throw new ObjectNotFoundException(key);
            }
            if (status == 412 && key != null) {
                throw new ObjectExistsException(key);
            }
            if (status == 416) {
                throw new EOFException(msg + ": range beyond the end of the object");
            }
            if (status >= 500 || status == 429 || status == 408 || e.isThrottlingException()) {
                throw new TransientStoreException(msg, e);
            }
            if ("NoSuchBucket".equals(code)) {
                throw new IOException(what + ": bucket " + location.bucket() + " does not exist");
            }
            throw new IOException(msg + (status == 403 ? " (access denied: check the credentials and the bucket policy)" : ""), e);
        } catch (SdkClientException e) {
            throw new TransientStoreException(what + ": " + firstLine(e), e);
        } catch (SdkException e) {
            throw new IOException(what + ": " + firstLine(e), e);
        }
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private PutObjectRequest.Builder putRequest(ObjectKey key) {
        var b = PutObjectRequest.builder().bucket(location.bucket()).key(keyOf(key));
        if (key.kind() == ObjectKind.PACK) {
            options.packStorageClass().ifPresent(b::storageClass);
        }
        return b;
    }

    @Override
    public void put(ObjectKey key, byte[] data) throws IOException {
        if (data.length > options.multipartThreshold()) {
            putMultipart(key, data);
            return;
        }
        stats.put(data.length);
        call("put " + key, key, () -> s3.putObject(putRequest(key).contentLength((long) data.length).build(), RequestBody.fromBytes(data)));
    }

    private void putMultipart(ObjectKey key, byte[] data) throws IOException {
        PutObjectRequest template = putRequest(key).build();
        stats.put(0);
        String uploadId = call("start multipart upload of " + key, key, () -> s3.createMultipartUpload(b -> b
                .bucket(template.bucket()).key(template.key()).storageClass(template.storageClass())).uploadId());
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (int offset = 0, n = 1; offset < data.length; offset += options.partSize(), n++) {
                int len = Math.min(options.partSize(), data.length - offset);
                int partNumber = n;
                int from = offset;
                stats.put(len);
                String etag = call("upload part " + n + " of " + key, key, () -> s3.uploadPart(b -> b.bucket(template.bucket())
                        .key(template.key()).uploadId(uploadId).partNumber(partNumber).contentLength((long) len),
                        RequestBody.fromBytes(java.util.Arrays.copyOfRange(data, from, from + len))).eTag());
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            stats.put(0);
            call("complete multipart upload of " + key, key, () -> s3.completeMultipartUpload(b -> b.bucket(template.bucket())
                    .key(template.key()).uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())));
        } catch (IOException | RuntimeException e) {
            try {
                stats.delete();
                s3.abortMultipartUpload(b -> b.bucket(template.bucket()).key(template.key()).uploadId(uploadId));
            } catch (SdkException ignored) {
                // the upload expires by the bucket's lifecycle rules; the original failure matters
            }
            throw e;
        }
    }

    @Override
    public void create(ObjectKey key, byte[] data) throws IOException {
        try {
            stat(key); // for servers that ignore If-None-Match
            throw new ObjectExistsException(key);
        } catch (ObjectNotFoundException absent) {
            stats.put(data.length);
            call("create " + key, key, () -> s3.putObject(putRequest(key).ifNoneMatch("*").contentLength((long) data.length).build(),
                    RequestBody.fromBytes(data)));
        }
    }

    @Override
    public byte[] get(ObjectKey key) throws IOException {
        ResponseBytes<GetObjectResponse> r = call("get " + key, key, () -> s3.getObjectAsBytes(GetObjectRequest.builder()
                .bucket(location.bucket()).key(keyOf(key)).build()));
        byte[] b = r.asByteArrayUnsafe();
        stats.get(b.length);
        Long expected = r.response().contentLength();
        if (expected != null && expected != b.length) {
            throw new TransientStoreException(key + ": short read, " + b.length + " of " + expected + " bytes");
        }
        return b;
    }

    @Override
    public byte[] get(ObjectKey key, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length);
        }
        if (length == 0) {
            stat(key);
            return new byte[0];
        }
        ResponseBytes<GetObjectResponse> r = call("get " + key, key, () -> s3.getObjectAsBytes(GetObjectRequest.builder()
                .bucket(location.bucket()).key(keyOf(key)).range("bytes=" + offset + "-" + (offset + length - 1)).build()));
        byte[] b = r.asByteArrayUnsafe();
        stats.get(b.length);
        if (b.length != length) {
            String range = r.response().contentRange();
            if (range != null && range.contains("/")) {
                long size = Long.parseLong(range.substring(range.indexOf('/') + 1));
                if (offset + length > size) {
                    throw new EOFException(key + ": range " + offset + "+" + length + " exceeds size " + size);
                }
            }
            throw new TransientStoreException(key + ": short read, " + b.length + " of " + length + " bytes");
        }
        return b;
    }

    @Override
    public ObjectInfo stat(ObjectKey key) throws IOException {
        stats.head();
        HeadObjectResponse r = call("stat " + key, key, () -> s3.headObject(b -> b.bucket(location.bucket()).key(keyOf(key))));
        return new ObjectInfo(key, r.contentLength());
    }

    @Override
    public List<ObjectInfo> list(ObjectKind kind) throws IOException {
        String prefix = kind == ObjectKind.CONFIG ? location.key("config") : location.key(kind.directory() + "/");
        List<ObjectInfo> result = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            stats.list();
            ListObjectsV2Response page = call("list " + kind.directory(), null, () -> s3.listObjectsV2(ListObjectsV2Request.builder()
                    .bucket(location.bucket()).prefix(prefix).continuationToken(continuation).build()));
            for (S3Object o : page.contents()) {
                String name = o.key().substring(o.key().lastIndexOf('/') + 1);
                if (kind == ObjectKind.CONFIG ? o.key().equals(prefix) : ObjectKey.isHexName(name)) {
                    result.add(new ObjectInfo(kind == ObjectKind.CONFIG ? ObjectKey.CONFIG : ObjectKey.of(kind, name), o.size()));
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return result;
    }

    @Override
    public void delete(ObjectKey key) throws IOException {
        stats.delete();
        call("delete " + key, key, () -> s3.deleteObject(b -> b.bucket(location.bucket()).key(keyOf(key))));
    }

    @Override
    public void deleteAll(List<ObjectKey> keys) throws IOException {
        for (int i = 0; i < keys.size(); i += 1000) {
            List<ObjectIdentifier> batch = keys.subList(i, Math.min(keys.size(), i + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(keyOf(k)).build()).toList();
            stats.delete();
            var r = call("delete " + batch.size() + " objects", null, () -> s3.deleteObjects(b -> b.bucket(location.bucket())
                    .delete(Delete.builder().objects(batch).quiet(true).build())));
            if (r.hasErrors() && !r.errors().isEmpty()) {
                var first = r.errors().getFirst();
                throw new IOException("batch delete: " + r.errors().size() + " failed, e.g. " + first.key() + ": " + first.code());
            }
        }
    }

    @Override
    public String location() {
        return location.toString();
    }

    @Override
    public void close() {
        s3.close();
    }
}
