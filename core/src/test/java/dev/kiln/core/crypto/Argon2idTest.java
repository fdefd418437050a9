package dev.kiln.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Argon2idTest {
    /** The default cost of key files written before ADR 0010, and where libsodium is absent. */
    private static final Argon2Params TWO_LANES = new Argon2Params(64 * 1024, 3, 2);

    /** RFC 9106 §5.3: Argon2id, m=32 KiB, t=3, p=4, password 32×0x01, salt 16×0x02, secret 8×0x03, ad 12×0x04. */
    @Test
    void matchesRfc9106Vector() {
        byte[] tag = Argon2id.derive(filled(32, 1), filled(16, 2), filled(8, 3), filled(12, 4), new Argon2Params(32, 3, 4), 32);
        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    /** The same tags as BouncyCastle's generator (lanes one after the other) over many shapes of parameters. */
    @Test
    void matchesBouncyCastleOnRandomParameters() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int n = 0; n < 60; n++) {
            int lanes = 1 + random.nextInt(5);
            int memory = 8 * lanes + random.nextInt(600);
            int passes = 1 + random.nextInt(4);
            int length = new int[] {4, 16, 32, 63, 64, 65, 100, 128, 200}[random.nextInt(9)];
            byte[] password = bytes(random, random.nextInt(40));
            byte[] salt = bytes(random, 8 + random.nextInt(24));
            byte[] secret = random.nextBoolean() ? bytes(random, 1 + random.nextInt(16)) : null;
            byte[] ad = random.nextBoolean() ? bytes(random, 1 + random.nextInt(16)) : null;
            Argon2Params params = new Argon2Params(memory, passes, lanes);
            assertThat(Argon2id.derive(password, salt, secret, ad, params, length))
                    .as("m=%d t=%d p=%d length=%d", memory, passes, lanes, length)
                    .isEqualTo(bouncyCastle(password, salt, secret, ad, params, length));
        }
    }

    /** The system's libargon2, where kiln uses it, gives kiln's tags (and the known answer it is checked with). */
    @Test
    void libargon2MatchesOnRandomParameters() {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeArgon2.available(), String.valueOf(NativeArgon2.unavailableReason()));
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int n = 0; n < 40; n++) {
            int lanes = 1 + random.nextInt(5);
            Argon2Params params = new Argon2Params(8 * lanes + random.nextInt(600), 1 + random.nextInt(4), lanes);
            int length = new int[] {4, 16, 32, 63, 64, 65, 100, 128, 200}[random.nextInt(9)];
            byte[] password = bytes(random, random.nextInt(40));
            byte[] salt = bytes(random, 8 + random.nextInt(24));
            assertThat(NativeArgon2.derive(password, salt, params, length)).as("%s length=%d", params, length)
                    .isEqualTo(Argon2id.derive(password, salt, null, null, params, length));
        }
        byte[] known = Argon2id.derive("password".getBytes(), "somesalt".getBytes(), null, null, new Argon2Params(64, 2, 2), 32);
        assertThat(HexFormat.of().formatHex(known)).isEqualTo(NativeArgon2.KNOWN_ANSWER);
    }

    /** libsodium, where kiln uses it (one lane, 16-byte salts), gives kiln's tags (and the known answer it is checked with). */
    @Test
    void libsodiumMatchesOnRandomParameters() {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeArgon2.sodiumAvailable(), String.valueOf(NativeArgon2.sodiumUnavailableReason()));
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int n = 0; n < 30; n++) {
            Argon2Params params = new Argon2Params(8 + random.nextInt(600), 1 + random.nextInt(4), 1);
            int length = new int[] {16, 32, 63, 64, 65, 100, 128, 200}[random.nextInt(8)];
            byte[] password = bytes(random, random.nextInt(40));
            byte[] salt = bytes(random, 16);
            assertThat(NativeArgon2.bySodium(salt, params, length)).isTrue();
            assertThat(NativeArgon2.derive(password, salt, params, length)).as("%s length=%d", params, length)
                    .isEqualTo(Argon2id.derive(password, salt, null, null, params, length));
        }
        byte[] known = Argon2id.derive("password".getBytes(), "somesaltsomesalt".getBytes(), null, null, new Argon2Params(64, 2, 1), 32);
        assertThat(HexFormat.of().formatHex(known)).isEqualTo(NativeArgon2.KNOWN_ANSWER_ONE_LANE);
        // what libsodium cannot take goes elsewhere
        assertThat(NativeArgon2.bySodium(new byte[32], new Argon2Params(64, 2, 1), 32)).isFalse();
        assertThat(NativeArgon2.bySodium(new byte[16], new Argon2Params(64, 2, 2), 32)).isFalse();
        assertThat(NativeArgon2.bySodium(new byte[16], new Argon2Params(64, 2, 1), 8)).isFalse();
    }

    /** New key files take one lane where libsodium derives it, two elsewhere; the same memory and passes. */
    @Test
    void defaultParametersFollowTheLibraryAtHand() {
        Argon2Params d = Argon2id.defaultParams();
        assertThat(d.memoryKiB()).isEqualTo(64 * 1024);
        assertThat(d.iterations()).isEqualTo(3);
        assertThat(d.parallelism()).isEqualTo(NativeArgon2.sodiumAvailable() ? 1 : 2);
        boolean present = java.nio.file.Files.exists(java.nio.file.Path.of("/usr/lib/x86_64-linux-gnu/libsodium.so.23"));
        if (present && !"jdk".equals(System.getProperty("kiln.crypto"))) {
            assertThat(NativeArgon2.sodiumAvailable()).as(String.valueOf(NativeArgon2.sodiumUnavailableReason())).isTrue();
        }
    }

    @Test
    void libargon2IsUsedWhereItExists() {
        boolean present = java.nio.file.Files.exists(java.nio.file.Path.of("/usr/lib/x86_64-linux-gnu/libargon2.so.1"));
        org.junit.jupiter.api.Assumptions.assumeTrue(present && !"jdk".equals(System.getProperty("kiln.crypto")));
        assertThat(NativeArgon2.available()).as(String.valueOf(NativeArgon2.unavailableReason())).isTrue();
    }

    @Test
    void matchesBouncyCastleAtTheDefaultCost() {
        byte[] password = "correct horse battery staple".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] salt = filled(16, 7);
        assertThat(Argon2id.derive(password, salt, TWO_LANES, 32))
                .isEqualTo(bouncyCastle(password, salt, null, null, TWO_LANES, 32));
    }

    @Test
    void matchesBouncyCastleAtTheOneLaneDefaultCost() {
        byte[] password = "correct horse battery staple".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] salt = filled(16, 9);
        Argon2Params oneLane = new Argon2Params(64 * 1024, 3, 1);
        assertThat(Argon2id.derive(password, salt, oneLane, 32)).isEqualTo(bouncyCastle(password, salt, null, null, oneLane, 32));
    }

    private static byte[] bouncyCastle(byte[] password, byte[] salt, byte[] secret, byte[] ad, Argon2Params params, int length) {
        var builder = new org.bouncycastle.crypto.params.Argon2Parameters.Builder(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKiB()).withIterations(params.iterations())
                .withParallelism(params.parallelism()).withSalt(salt);
        if (secret != null) {
            builder.withSecret(secret);
        }
        if (ad != null) {
            builder.withAdditional(ad);
        }
        var generator = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        generator.init(builder.build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    private static byte[] bytes(java.util.SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
