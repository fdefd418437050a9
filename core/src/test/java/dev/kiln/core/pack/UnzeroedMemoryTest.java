package dev.kiln.core.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class UnzeroedMemoryTest {
    @Test
    void buffersAreDirectOfTheSizeAskedAndHoldWhatIsWritten() {
        for (int size : new int[] {0, 1, 4095, 4096, 1 << 20, (8 << 20) + 12345}) {
            ByteBuffer b = UnzeroedMemory.allocate(size);
            assertThat(b.isDirect()).isTrue();
            assertThat(b.capacity()).isEqualTo(size);
            if (size > 0) {
                b.put(size - 1, (byte) 0xa5).put(0, (byte) 0x5a);
                assertThat(b.get(0)).isEqualTo((byte) 0x5a);
                assertThat(b.get(size - 1)).isEqualTo(size == 1 ? (byte) 0x5a : (byte) 0xa5);
            }
        }
    }

    @Test
    void unreachableBuffersAreFreed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/status")));
        long before = virtualKiB();
        // 16 GiB asked in all, 256 MiB at a time (each written at both ends): without the frees, the process's
        // address space would grow by all of it
        for (int i = 0; i < 64; i++) {
            ByteBuffer b = UnzeroedMemory.allocate(256 << 20);
            b.put(0, (byte) 1).put(b.capacity() - 1, (byte) 1);
            if (i % 8 == 7) {
                System.gc();
            }
        }
        long grown = Long.MAX_VALUE;
        for (int tries = 0; tries < 50 && grown > (2L << 20); tries++) { // the cleaner frees soon after a collection
            System.gc();
            Thread.sleep(100);
            grown = virtualKiB() - before;
        }
        assertThat(grown).as("KiB of address space still taken").isLessThan(2L << 20);
    }

    private static long virtualKiB() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("VmSize:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmSize");
    }
}
