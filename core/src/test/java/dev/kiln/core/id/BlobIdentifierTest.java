package dev.kiln.core.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class BlobIdentifierTest {
    private final byte[] key = new byte[32];

    @Test
    void idIsHmacOfSha256() throws Exception {
        key[0] = 7;
        byte[] data = "hello".getBytes();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] expected = mac.doFinal(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(new BlobIdentifier(HashAlgorithm.SHA256, key).identify(data).toBytes()).isEqualTo(expected);
    }

    @Test
    void differentKeysGiveDifferentIds() {
        byte[] other = new byte[32];
        other[31] = 1;
        byte[] data = "same content".getBytes();
        assertThat(new BlobIdentifier(HashAlgorithm.SHA256, key).identify(data))
                .isNotEqualTo(new BlobIdentifier(HashAlgorithm.SHA256, other).identify(data));
        assertThat(new BlobIdentifier(HashAlgorithm.TIGER_TREE, key).identify(data))
                .isNotEqualTo(new BlobIdentifier(HashAlgorithm.SHA256, key).identify(data));
    }

    @Test
    void hexRoundTripAndOrder() {
        String hex = "00ff" + "11".repeat(30);
        BlobId id = BlobId.parse(hex);
        assertThat(id.hex()).isEqualTo(hex);
        assertThat(BlobId.fromBytes(HexFormat.of().parseHex(hex))).isEqualTo(id);
        assertThat(BlobId.parse("ff" + "00".repeat(31))).isGreaterThan(id);
    }
}
