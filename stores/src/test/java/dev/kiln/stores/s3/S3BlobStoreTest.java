package dev.kiln.stores.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.BlobStoreContractTest;
import dev.kiln.core.store.ObjectExistsException;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.store.wrap.RequestStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against S3Proxy on 127.0.0.1, plus what is particular to S3. */
class S3BlobStoreTest extends BlobStoreContractTest {
    @TempDir
    static Path dir;
    static S3ProxyServer server;
    static final AtomicInteger buckets = new AtomicInteger();
    RequestStats stats = new RequestStats();

    @BeforeAll
    static void start() throws Exception {
        server = new S3ProxyServer(dir.resolve("s3"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Override
    protected BlobStore newStore() {
        String location = server.createBucket("bucket" + buckets.incrementAndGet(), "repo/prefix");
        stats = new RequestStats();
        // Behind the retry layer, as kiln runs it (Stores.open): the SDK does not retry, and S3Proxy now and then
        // closes a pooled connection the client then writes to ("Broken pipe"), a transient error that layer absorbs.
        return new dev.kiln.core.store.wrap.RetryingBlobStore(
                new S3BlobStore(S3Location.parse(location), S3ServerOptions.small(), stats),
                S3RepositoryTest.FAST, dev.kiln.core.store.wrap.Pacer.SYSTEM, new java.util.Random(1), m -> { });
    }

    /** Small multipart sizes, so that the contract runs multipart uploads too. */
    static final class S3ServerOptions {
        static S3Options small() {
            return S3ProxyServer.options().withMultipart(6 << 20, 5 << 20);
        }
    }

    @Test
    void largeObjectsGoUpInPartsAndReadBackExactly() throws Exception {
        byte[] big = new byte[13 << 20];
        new java.util.Random(3).nextBytes(big);
        ObjectKey k = ObjectKey.of(ObjectKind.PACK, "ab" + "1".repeat(62));
        store.put(k, big);
        assertThat(stats.snapshot().put()).isEqualTo(2 + 3); // create, 3 parts, complete
        assertThat(store.get(k)).isEqualTo(big);
        assertThat(store.get(k, (5 << 20) - 10, 20)).isEqualTo(java.util.Arrays.copyOfRange(big, (5 << 20) - 10, (5 << 20) + 10));
    }

    @Test
    void listingIsPaginatedAndBatchDeleteWorks() throws Exception {
        List<ObjectKey> keys = new ArrayList<>();
        for (int i = 0; i < 1205; i++) {
            ObjectKey k = ObjectKey.of(ObjectKind.LOCK, String.format("%016x", i));
            keys.add(k);
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (ObjectKey k : keys) {
                pool.submit(() -> {
                    store.put(k, new byte[1]);
                    return null;
                });
            }
        }
        RequestStats.Snapshot before = stats.snapshot();
        assertThat(store.list(ObjectKind.LOCK)).hasSize(1205);
        assertThat(stats.snapshot().list() - before.list()).isEqualTo(2); // 1000 per page
        store.deleteAll(keys);
        assertThat(stats.snapshot().delete() - before.delete()).isEqualTo(2);
        assertThat(store.list(ObjectKind.LOCK)).isEmpty();
    }

    @Test
    void conditionalCreateRefusesAnExistingObjectOnTheServer() throws Exception {
        store.put(ObjectKey.CONFIG, new byte[] {1});
        assertThatThrownBy(() -> store.create(ObjectKey.CONFIG, new byte[] {2})).isInstanceOf(ObjectExistsException.class);
        assertThat(store.get(ObjectKey.CONFIG)).containsExactly(1);
    }

    @Test
    void locationsParse() {
        S3Location aws = S3Location.parse("s3://my-bucket/hosts/web1");
        assertThat(aws.endpoint()).isEmpty();
        assertThat(aws.bucket()).isEqualTo("my-bucket");
        assertThat(aws.key("config")).isEqualTo("hosts/web1/config");
        S3Location other = S3Location.parse("s3:https://minio.example:9000/backups");
        assertThat(other.endpoint()).hasValue(java.net.URI.create("https://minio.example:9000"));
        assertThat(other.prefix()).isEmpty();
        assertThat(other.key("data/ab/x")).isEqualTo("data/ab/x");
        assertThatThrownBy(() -> S3Location.parse("s3://")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongCredentialsArePermanentAndSayAccessDenied() {
        String location = server.createBucket("denied", "");
        BlobStore bad = new S3BlobStore(S3Location.parse(location), S3Options.defaults().withCredentials("nobody", "wrong-secret"),
                new RequestStats());
        assertThatThrownBy(() -> bad.get(ObjectKey.CONFIG)).isInstanceOf(java.io.IOException.class)
                .isNotInstanceOf(dev.kiln.core.store.TransientStoreException.class).hasMessageContaining("403");
        BlobStore gone = new S3BlobStore(S3Location.parse("s3:" + server.endpoint() + "/no-such-bucket"), S3ProxyServer.options(),
                new RequestStats());
        assertThatThrownBy(() -> gone.list(ObjectKind.SNAPSHOT)).isInstanceOf(java.io.IOException.class)
                .isNotInstanceOf(dev.kiln.core.store.TransientStoreException.class).hasMessageContaining("no-such-bucket");
    }
}
