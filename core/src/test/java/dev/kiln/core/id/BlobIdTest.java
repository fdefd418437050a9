package dev.kiln.core.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlobIdTest {
    @Test
    void readFromTakesTheBytesToBytesWroteWhateverTheBuffersOrder() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            BlobId id = BlobId.fromBytes(raw);
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                ByteBuffer in = ByteBuffer.allocate(3 + 32 + 4).order(order);
                in.put(new byte[] {1, 2, 3}).put(raw).putInt(0x01020304).flip();
                in.position(3);
                assertThat(BlobId.readFrom(in)).isEqualTo(id);
                assertThat(in.position()).isEqualTo(35);
                assertThat(in.getInt()).isEqualTo(0x01020304);
            }
            assertThat(id.toBytes()).isEqualTo(raw);
        }
    }
}
