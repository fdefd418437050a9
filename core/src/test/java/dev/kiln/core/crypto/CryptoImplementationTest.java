package dev.kiln.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** -Dkiln.crypto=jdk turns OpenSSL and libargon2 off (the build runs the round-trip tests once more that way). */
class CryptoImplementationTest {
    @Test
    void theJdkIsUsedWhenAskedFor() {
        if ("jdk".equals(System.getProperty("kiln.crypto"))) {
            assertThat(Sha256.isNative()).isFalse();
            assertThat(Sha256.implementation()).isEqualTo("JDK (turned off by -Dkiln.crypto=jdk)");
            assertThat(NativeArgon2.available()).isFalse();
        } else {
            assertThat(Sha256.implementation()).startsWith(Sha256.isNative() ? "OpenSSL" : "JDK (");
        }
    }
}
