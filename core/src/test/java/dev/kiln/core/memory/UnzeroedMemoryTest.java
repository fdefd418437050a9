package dev.kiln.core.memory;

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
    void buffersOfAHugePageOrMoreAreAlignedMappingsAdvisedToHugePages() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/smaps")));
        // (a kernel built without transparent huge pages refuses the advice, and has no such setting)
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/sys/kernel/mm/transparent_hugepage/enabled")));
        ByteBuffer b = UnzeroedMemory.allocate((5 << 20) + 3);
        long address = java.lang.foreign.MemorySegment.ofBuffer(b).address();
        assertThat(address % UnzeroedMemory.HUGE_PAGE).isZero();
        b.put(0, (byte) 1).put(b.capacity() - 1, (byte) 2);
        // the mapping holding it carries the kernel's flag for MADV_HUGEPAGE ("hg")
        String flags = null;
        boolean inside = false;
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String[] range = line.substring(0, line.indexOf(' ')).split("-");
                inside = Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16);
            } else if (inside && line.startsWith("VmFlags:")) {
                flags = line;
            }
        }
        assertThat(flags).as("the buffer's mapping").isNotNull();
        assertThat(flags.split(" ")).contains("hg");
        assertThat(b.get(0)).isEqualTo((byte) 1);
        assertThat(b.get(b.capacity() - 1)).isEqualTo((byte) 2);
    }

    @Test
    void unreachableBuffersAreFreed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/status")));
        long before = virtualKiB();
        // 16 GiB asked in all, 256 MiB at a time (each written at both ends): without the unmappings, the process's
        // address space would grow by all of it (and malloc's frees, below)
        for (int i = 0; i < 64; i++) {
            ByteBuffer b = UnzeroedMemory.allocate(256 << 20);
            b.put(0, (byte) 1).put(b.capacity() - 1, (byte) 1);
            if (i % 8 == 7) {
                System.gc();
            }
        }
        assertThat(grownSince(before)).as("KiB of address space still taken").isLessThan(2L << 20);
        before = virtualKiB();
        for (int i = 0; i < 64 * 1024; i++) { // 16 GiB again, from malloc: buffers of 256 KiB
            ByteBuffer b = UnzeroedMemory.allocate(256 << 10);
            b.put(0, (byte) 1).put(b.capacity() - 1, (byte) 1);
        }
        assertThat(grownSince(before)).as("KiB of address space still taken").isLessThan(2L << 20);
    }

    /** How far the address space has grown since {@code before}, once the cleaner has had its chances (up to 5 s). */
    private static long grownSince(long before) throws Exception {
        long grown = Long.MAX_VALUE;
        for (int tries = 0; tries < 50 && grown > (2L << 20); tries++) { // the cleaner frees soon after a collection
            System.gc();
            Thread.sleep(100);
            grown = virtualKiB() - before;
        }
        return grown;
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
