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
    void aBlockInNativeMemoryHasTheIdOfTheSameBytesInAnArray() {
        byte[] key = new byte[32];
        key[3] = 9;
        byte[] data = new byte[100_003];
        new java.util.Random(5).nextBytes(data);
        for (HashAlgorithm algorithm : HashAlgorithm.values()) {
            BlobIdentifier identifier = new BlobIdentifier(algorithm, key);
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                java.lang.foreign.MemorySegment block = arena.allocate(data.length + 7).asSlice(7);
                java.lang.foreign.MemorySegment.copy(java.lang.foreign.MemorySegment.ofArray(data), 0, block, 0, data.length);
                assertThat(identifier.identify(block)).as(algorithm.name()).isEqualTo(identifier.identify(data));
                assertThat(identifier.identify(block.asSlice(0, 10))).isEqualTo(identifier.identify(java.util.Arrays.copyOf(data, 10)));
            }
        }
    }

    @Test
    void anyBlockAsASegmentHasTheHmacOfItsSha256() throws Exception {
        byte[] key = new byte[32];
        key[0] = 42;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        BlobIdentifier identifier = new BlobIdentifier(HashAlgorithm.SHA256, key);
        java.util.Random random = new java.util.Random(11);
        for (int length : new int[] {0, 1, 55, 64, 65, 4096, 70_001}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            byte[] expected = mac.doFinal(MessageDigest.getInstance("SHA-256").digest(data));
            assertThat(identifier.identify(java.lang.foreign.MemorySegment.ofArray(data)).toBytes()).as("%d bytes on the heap", length).isEqualTo(expected);
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                assertThat(identifier.identify(arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, data)).toBytes())
                        .as("%d bytes in native memory", length).isEqualTo(expected);
            }
        }
    }

    @Test
    void anIdWrittenToAnArrayReadsBackAsTheSameId() {
        BlobId id = BlobId.parse("0123456789abcdef" + "fedcba9876543210" + "00ff00ff00ff00ff" + "8000000000000001");
        byte[] out = new byte[40];
        id.writeTo(out, 5);
        assertThat(java.util.Arrays.copyOfRange(out, 5, 37)).isEqualTo(HexFormat.of().parseHex(id.hex()));
        assertThat(BlobId.fromBytes(java.util.Arrays.copyOfRange(out, 5, 37))).isEqualTo(id);
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
