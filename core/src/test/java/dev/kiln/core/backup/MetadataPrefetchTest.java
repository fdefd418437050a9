package dev.kiln.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataPrefetchTest {
    @TempDir
    Path tmp;

    @Test
    void visitsWhatTheBackupWouldAndLeavesOutExcludes() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/a/b"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(src.resolve("f" + i), "x");
        }
        Path skipped = Files.createDirectories(tmp.resolve("src/cache"));
        for (int i = 0; i < 7; i++) {
            Files.writeString(skipped.resolve("g" + i), "x");
        }
        Files.createSymbolicLink(tmp.resolve("src/link"), Path.of("a")); // not followed
        Files.writeString(tmp.resolve("src/single"), "x");
        try (MetadataPrefetch p = MetadataPrefetch.start(List.of(tmp.resolve("src"), tmp.resolve("src/single"),
                tmp.resolve("missing")), List.of("cache"), false)) {
            p.awaitFinished();
            // a, a/b, the 5 files, link, single: cache and what is below it are left out
            assertThat(p.entriesSeen()).isEqualTo(9);
        }
    }

    @Test
    void stopsWhenClosed() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        for (int i = 0; i < 10_000; i++) {
            Files.writeString(src.resolve("f" + i), "x");
        }
        MetadataPrefetch p = MetadataPrefetch.start(List.of(src), List.of(), false);
        p.close();
        p.awaitFinished();
        assertThat(p.entriesSeen()).isLessThan(10_000);
    }
}
