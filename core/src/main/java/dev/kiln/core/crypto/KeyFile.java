package dev.kiln.core.crypto;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * A key file: the master key wrapped (AES-256-GCM) under a key derived from one password with Argon2id.
 * Stored as plain JSON, since it must be read before any key is known; it holds nothing secret in clear.
 */
public record KeyFile(
        @JsonProperty("version") int version,
        @JsonProperty("kdf") String kdf,
        @JsonProperty("memory_kib") int memoryKiB,
        @JsonProperty("iterations") int iterations,
        @JsonProperty("parallelism") int parallelism,
        @JsonProperty("salt") String salt,
        @JsonProperty("wrapped") String wrapped,
        @JsonProperty("created") String created,
        @JsonProperty("host") String host,
        @JsonProperty("user") String user) {

    static final byte[] AAD = "kiln v1 key file".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Built with the class (its deserializer is made now, by {@code Preload} at start-up): every command reads a key file first. */
    private static final ObjectReader READER = JSON.readerFor(KeyFile.class);

    public static KeyFile wrap(MasterKey master, byte[] password, Argon2Params params, SecureRandom random,
                               Instant now, String host, String user) {
        byte[] salt = new byte[Argon2id.SALT_BYTES];
        random.nextBytes(salt);
        byte[] kek = Argon2id.derive(password, salt, params, 32);
        try {
            byte[] sealed = new Aead(kek).seal(master.bytes(), AAD);
            return new KeyFile(1, "argon2id", params.memoryKiB(), params.iterations(), params.parallelism(),
                    Base64.getEncoder().encodeToString(salt), Base64.getEncoder().encodeToString(sealed),
                    now.toString(), host, user);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    /** Unwraps the master key, or fails with {@link WrongPasswordException}. */
    public MasterKey unwrap(byte[] password) throws IOException {
        if (version != 1 || !"argon2id".equals(kdf)) {
            throw new IOException("unsupported key file version " + version + " / kdf " + kdf);
        }
        byte[] kek = Argon2id.derive(password, Base64.getDecoder().decode(salt), params(), 32);
        try {
            byte[] plain = new Aead(kek).open(Base64.getDecoder().decode(wrapped), AAD, "key file");
            return MasterKey.fromBytes(plain);
        } catch (IntegrityException e) {
            throw new WrongPasswordException("wrong password or damaged key file");
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    public Argon2Params params() {
        return new Argon2Params(memoryKiB, iterations, parallelism);
    }

    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyFile parse(byte[] json) throws IOException {
        try {
            return READER.readValue(json);
        } catch (IOException e) {
            throw new IntegrityException("key file is not valid JSON: " + e.getMessage(), e);
        }
    }
}
