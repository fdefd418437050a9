package dev.kiln.stores.s3;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.BlobStoreContractTest;
import dev.kiln.core.store.wrap.RequestStats;
import java.util.UUID;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The store contract against any S3-compatible endpoint given by KILN_TEST_S3_ENDPOINT, KILN_TEST_S3_BUCKET,
 * KILN_TEST_S3_ACCESS_KEY and KILN_TEST_S3_SECRET_KEY (and KILN_TEST_S3_CHECKSUMS=when-required for picky servers).
 * Each test works under a fresh random prefix of the bucket.
 */
@EnabledIfEnvironmentVariable(named = "KILN_TEST_S3_ENDPOINT", matches = ".+")
class EnvironmentS3BlobStoreTest extends BlobStoreContractTest {
    @Override
    protected BlobStore newStore() {
        String endpoint = System.getenv("KILN_TEST_S3_ENDPOINT");
        String location = (endpoint.startsWith("http") ? "s3:" + endpoint + "/" : "s3://") + System.getenv("KILN_TEST_S3_BUCKET")
                + "/kiln-test-" + UUID.randomUUID();
        String checksums = System.getenv().getOrDefault("KILN_TEST_S3_CHECKSUMS", "when-supported");
        S3Options o = S3Options.defaults().withCredentials(System.getenv("KILN_TEST_S3_ACCESS_KEY"), System.getenv("KILN_TEST_S3_SECRET_KEY"))
                .with(true, java.util.Optional.empty(), checksums, 8);
        return new S3BlobStore(S3Location.parse(location), o, new RequestStats());
    }
}
