package dev.kiln.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** kiln's HKDF-SHA-256 (on OpenSSL's HMAC, or the JDK's where OpenSSL is off) against RFC 5869 and the JDK's KDF. */
class HkdfTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void givesTheRfc5869Vectors() {
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        // test case 1: salt and info
        assertThat(HEX.formatHex(Sha256.hkdf(ikm, HEX.parseHex("000102030405060708090a0b0c"), HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42)))
                .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
        // test case 3: no salt (a block of zeros, as the RFC says), no info
        assertThat(HEX.formatHex(Sha256.hkdf(ikm, new byte[0], new byte[0], 42)))
                .isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    @Test
    void givesTheJdkKdfsBytesForTheLengthsKilnDerives() throws Exception {
        Random random = new Random(7);
        KDF jdk = KDF.getInstance("HKDF-SHA256");
        for (int length : new int[] {1, 31, 32, 33, 64, 100, 2048, 255 * 32}) {
            byte[] ikm = new byte[32];
            byte[] salt = new byte[1 + random.nextInt(80)];
            byte[] info = new byte[random.nextInt(90)];
            random.nextBytes(ikm);
            random.nextBytes(salt);
            random.nextBytes(info);
            byte[] expected = jdk.deriveData(HKDFParameterSpec.ofExtract().addIKM(new SecretKeySpec(ikm, "HKDF")).addSalt(salt)
                    .thenExpand(info, length));
            assertThat(Sha256.hkdf(ikm, salt, info, length)).as("length %d", length).isEqualTo(expected);
        }
    }

    @Test
    void refusesLengthsHkdfCannotGive() {
        assertThatThrownBy(() -> Sha256.hkdf(new byte[32], new byte[32], new byte[0], 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sha256.hkdf(new byte[32], new byte[32], new byte[0], 255 * 32 + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
