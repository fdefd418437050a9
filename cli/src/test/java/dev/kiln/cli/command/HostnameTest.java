package dev.kiln.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Snapshots and locks name the machine as the kernel does, without a name lookup. */
class HostnameTest {
    @Test
    void isTheKernelsNodeName() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/sys/kernel/hostname")), "not Linux");
        Process uname = new ProcessBuilder("uname", "-n").redirectErrorStream(true).start();
        String expected = new String(uname.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(uname.waitFor()).isZero();
        assertThat(expected).isNotEmpty();
        assertThat(KilnCommand.hostname()).isEqualTo(expected);
    }
}
