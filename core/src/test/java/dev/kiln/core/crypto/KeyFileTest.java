package dev.kiln.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyFileTest {
    private static final Argon2Params CHEAP = new Argon2Params(64, 1, 1);

    @Test
    void unwrapsWithTheRightPasswordOnly() throws Exception {
        MasterKey master = MasterKey.generate(new SecureRandom());
        KeyFile file = KeyFile.parse(KeyFile.wrap(master, "pw".getBytes(), CHEAP, new SecureRandom(), Instant.EPOCH, "h", "u").toJson());
        try (MasterKey back = file.unwrap("pw".getBytes())) {
            assertThat(back.derive(new byte[1], "x", 16)).isEqualTo(master.derive(new byte[1], "x", 16));
        }
        assertThatThrownBy(() -> file.unwrap("wrong".getBytes())).isInstanceOf(WrongPasswordException.class);
        assertThat(file.params()).isEqualTo(CHEAP);
    }

    @Test
    void aeadDetectsTamperingAndWrongAad() {
        Aead aead = new Aead(new byte[32]);
        byte[] sealed = aead.seal("secret".getBytes(), "a".getBytes());
        assertThat(sealed).hasSize(6 + Aead.OVERHEAD);
        sealed[Aead.NONCE] ^= 1;
        assertThatThrownBy(() -> aead.open(sealed, "a".getBytes(), "x")).isInstanceOf(IntegrityException.class);
        sealed[Aead.NONCE] ^= 1;
        assertThatThrownBy(() -> aead.open(sealed, "b".getBytes(), "x")).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> aead.open(new byte[5], "a".getBytes(), "x")).isInstanceOf(IntegrityException.class);
    }
}
