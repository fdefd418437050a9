package dev.kiln.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Argon2idTest {
    /** RFC 9106 §5.3: Argon2id, m=32 KiB, t=3, p=4, password 32×0x01, salt 16×0x02, secret 8×0x03, ad 12×0x04. */
    @Test
    void matchesRfc9106Vector() {
        byte[] tag = Argon2id.derive(filled(32, 1), filled(16, 2), filled(8, 3), filled(12, 4), new Argon2Params(32, 3, 4), 32);
        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
