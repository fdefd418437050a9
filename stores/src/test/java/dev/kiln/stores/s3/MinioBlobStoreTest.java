package dev.kiln.stores.s3;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.BlobStoreContractTest;
import dev.kiln.core.store.wrap.RequestStats;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The store contract against MinIO in a container; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class MinioBlobStoreTest extends BlobStoreContractTest {
    static MinIOContainer minio;
    static final AtomicInteger buckets = new AtomicInteger();

    @BeforeAll
    static void start() {
        minio = new MinIOContainer("minio/minio:RELEASE.2024-10-13T13-34-11Z");
        minio.start();
    }

    @AfterAll
    static void stop() {
        minio.stop();
    }

    @Override
    protected BlobStore newStore() {
        String bucket = "kiln" + buckets.incrementAndGet();
        try (S3Client s3 = S3Client.builder().endpointOverride(java.net.URI.create(minio.getS3URL())).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(minio.getUserName(), minio.getPassword()))).build()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        return new S3BlobStore(S3Location.parse("s3:" + minio.getS3URL() + "/" + bucket + "/repo"),
                S3Options.defaults().withCredentials(minio.getUserName(), minio.getPassword()), new RequestStats());
    }
}
