package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JDK's start-up cache (AOT/CDS) leaves out class files older than Java 6; every class kiln loads at each start
 * must be newer, or it is loaded, parsed and verified from the jar every time (picocli's jar is Java 5: see cli/pom.xml
 * and ADR 0007).
 */
class StartupCacheTest {
    @Test
    void theCommandLineClassesAreArchivable() throws IOException {
        for (Class<?> c : List.of(picocli.CommandLine.class, picocli.CommandLine.Model.CommandSpec.class, Main.class)) {
            assertThat(majorVersion(c)).as(c.getName()).isGreaterThanOrEqualTo(50);
        }
    }

    private static int majorVersion(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            assertThat(in).as(c.getName()).isNotNull();
            ByteBuffer header = ByteBuffer.wrap(in.readNBytes(8));
            assertThat(header.getInt()).isEqualTo(0xCAFEBABE);
            header.getShort(); // minor
            return Short.toUnsignedInt(header.getShort());
        }
    }
}
