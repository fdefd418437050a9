package dev.kiln.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OpenSSL's SHA-256, HMAC and AES-256-GCM give the JDK's bytes, and refuse what the JDK refuses. */
class NativeCryptoTest {
    /** Sizes around SHA's 64-byte block, AES's 16-byte block, and the slices long inputs are fed in. */
    private static final int[] SIZES = {0, 1, 15, 16, 17, 55, 56, 63, 64, 65, 1000, 65536 + 3, NativeCrypto.SLICE, NativeCrypto.SLICE + 17,
            2 * NativeCrypto.SLICE + 5};
    private final Random random = new Random(42);

    @BeforeAll
    static void libraryIsUsedWhereItExists() {
        boolean present = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3")) || Files.exists(Path.of("/usr/lib64/libcrypto.so.3"))
                || Files.exists(Path.of("/lib/x86_64-linux-gnu/libcrypto.so.3"));
        assumeTrue(present, "no libcrypto.so.3 on this machine: the JDK's crypto is used and tested elsewhere");
        assumeTrue(!"jdk".equals(System.getProperty("kiln.crypto")), "OpenSSL turned off for this run");
        assertThat(NativeCrypto.available()).as(String.valueOf(NativeCrypto.unavailableReason())).isTrue();
        assertThat(Sha256.isNative()).isTrue();
        assertThat(Sha256.implementation()).startsWith("OpenSSL");
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void sha256MatchesTheJdkAtEverySizeAndOffset() throws Exception {
        for (int size : SIZES) {
            byte[] data = bytes(size + 10);
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(data, 7, 7 + size));
            assertThat(Sha256.digest(data, 7, size)).as("size %d", size).isEqualTo(expected);
            byte[] out = new byte[40];
            Sha256.digestInto(data, 7, size, out, 3);
            assertThat(Arrays.copyOfRange(out, 3, 35)).isEqualTo(expected);
        }
        assertThat(HexFormat.of().formatHex(Sha256.digest("abc".getBytes())))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void sha256RefusesRangesOutsideTheArrays() {
        assertThatThrownBy(() -> Sha256.digest(new byte[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Sha256.digestInto(new byte[10], 0, 10, new byte[40], 9)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void hmacMatchesTheJdkAndRfc4231() throws Exception {
        for (int keyLength : new int[] {1, 20, 32, 64, 65, 131}) {
            byte[] key = bytes(keyLength);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            Sha256.Hmac hmac = new Sha256.Hmac(key);
            for (int n : new int[] {0, 1, 31, 32, 33, 55, 56, 63, 64, 65, 1000, NativeCrypto.SLICE + 17}) {
                byte[] message = bytes(n);
                assertThat(hmac.mac(message)).as("key %d, message %d", keyLength, n).isEqualTo(mac.doFinal(message));
            }
        }
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?" (28 bytes)
        byte[] rfc = new Sha256.Hmac("Jefe".getBytes()).mac("what do ya want for nothing?".getBytes());
        assertThat(HexFormat.of().formatHex(rfc)).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void aesGcmSealsAsTheJdkDoesAndOpensWhatTheJdkSeals() throws Exception {
        byte[] key = bytes(32);
        SecretKeySpec spec = new SecretKeySpec(key, "AES");
        NativeCrypto.CipherContext sealer = NativeCrypto.cipher(key, true);
        NativeCrypto.CipherContext opener = NativeCrypto.cipher(key, false);
        for (int size : SIZES) {
            for (byte[] aad : new byte[][] {new byte[0], bytes(33)}) {
                byte[] plain = bytes(size + 9);
                byte[] nonce = bytes(12 + 2);
                byte[] sealed = new byte[size + 16 + 5];
                sealer.seal(nonce, 2, aad, plain, 9, size, sealed, 5);

                Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
                jdk.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(128, nonce, 2, 12));
                jdk.updateAAD(aad);
                byte[] expected = jdk.doFinal(plain, 9, size);
                assertThat(Arrays.copyOfRange(sealed, 5, sealed.length)).as("size %d, aad %d", size, aad.length).isEqualTo(expected);

                byte[] back = new byte[size + 4];
                assertThat(opener.open(nonce, 2, aad, expected, 0, expected.length, back, 4)).isTrue();
                assertThat(Arrays.copyOfRange(back, 4, back.length)).isEqualTo(Arrays.copyOfRange(plain, 9, 9 + size));
            }
        }
    }

    @Test
    void aesGcmRefusesEveryDamageTheJdkRefuses() throws Exception {
        byte[] key = bytes(32);
        NativeCrypto.CipherContext sealer = NativeCrypto.cipher(key, true);
        NativeCrypto.CipherContext opener = NativeCrypto.cipher(key, false);
        byte[] plain = bytes(1000);
        byte[] aad = bytes(33);
        byte[] nonce = bytes(12);
        byte[] sealed = new byte[plain.length + 16];
        sealer.seal(nonce, 0, aad, plain, 0, plain.length, sealed, 0);
        byte[] out = new byte[plain.length];
        for (int bit : new int[] {0, 8 * 500 + 3, 8 * 999 + 7, 8 * 1000, 8 * 1015 + 7}) { // ciphertext and tag
            byte[] damaged = sealed.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(opener.open(nonce, 0, aad, damaged, 0, damaged.length, out, 0)).as("bit %d", bit).isFalse();
            assertJdkRefuses(key, nonce, aad, damaged);
        }
        byte[] otherNonce = nonce.clone();
        otherNonce[11] ^= 1;
        assertThat(opener.open(otherNonce, 0, aad, sealed, 0, sealed.length, out, 0)).isFalse();
        byte[] otherAad = aad.clone();
        otherAad[0] ^= 1;
        assertThat(opener.open(nonce, 0, otherAad, sealed, 0, sealed.length, out, 0)).isFalse();
        assertThat(opener.open(nonce, 0, aad, sealed, 0, sealed.length - 1, out, 0)).as("truncated").isFalse();
        assertThat(NativeCrypto.cipher(bytes(32), false).open(nonce, 0, aad, sealed, 0, sealed.length, out, 0)).as("other key").isFalse();
        // the context is still good after refusals
        assertThat(opener.open(nonce, 0, aad, sealed, 0, sealed.length, out, 0)).isTrue();
        assertThat(out).isEqualTo(plain);
    }

    private static void assertJdkRefuses(byte[] key, byte[] nonce, byte[] aad, byte[] damaged) throws Exception {
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        jdk.updateAAD(aad);
        assertThatThrownBy(() -> jdk.doFinal(damaged)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void aeadThroughOpenSslRoundTripsWithTheJdkFormatAndClearsRefusedOutput() throws Exception {
        byte[] key = bytes(32);
        Aead aead = new Aead(key);
        byte[] plain = bytes(5000);
        byte[] aad = {1, 2, 3};
        byte[] sealed = aead.seal(plain, aad);
        // the sealed form is nonce || ciphertext || tag, as the JDK reads it
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
        jdk.updateAAD(aad);
        assertThat(jdk.doFinal(sealed, 12, sealed.length - 12)).isEqualTo(plain);

        sealed[100] ^= 4;
        byte[] out = new byte[plain.length];
        assertThatThrownBy(() -> aead.openInto(sealed, 0, sealed.length, aad, "blob x", out, 0))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("blob x: authentication failed");
        assertThat(out).containsOnly(0);
    }
}
