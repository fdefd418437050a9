package dev.kiln.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The statx fast path must give exactly what the JDK's attribute view gives: snapshots compare these values. */
class FileStatTest {
    @TempDir
    Path dir;

    @Test
    void statxAgreesWithTheJdkOnEveryKindOfEntry() throws Exception {
        assertThat(FileStat.Statx.AVAILABLE).as("glibc has statx (2.28+)").isTrue();
        Path file = Files.writeString(dir.resolve("file"), "content");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2021-03-04T05:06:07.123456789Z")));
        Path linked = Files.createLink(dir.resolve("second-name"), file);
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("no/such/target"));
        Path odd = dev.kiln.core.fsname.RawNames.resolve(dir, new byte[] {'n', (byte) 0xff, 'x'});
        Files.writeString(odd, "not UTF-8 in the name");
        Path fifo = dir.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        List<Path> paths = new ArrayList<>(List.of(file, linked, sub, link, odd, dir));
        if (Files.exists(fifo)) {
            paths.add(fifo);
        }
        paths.add(Path.of("/dev/null")); // a character device: rdev
        for (Path p : paths) {
            assertThat(FileStat.of(p)).as(p.toString()).isEqualTo(FileStat.viaJdk(p));
        }
        assertThat(FileStat.of(linked).links()).isEqualTo(2);
        assertThat(FileStat.of(file).mtime()).isEqualTo(Instant.parse("2021-03-04T05:06:07.123456789Z"));
        assertThat(FileStat.of(Path.of("/dev/null")).rdev()).isNotZero();
    }

    @Test
    void aMissingEntryGivesTheJdksException() {
        assertThatThrownBy(() -> FileStat.of(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }

    /** Readahead is a hint: it never blocks (FIFO), never fails (missing, unreadable, directory) and closes what it opens. */
    @org.junit.jupiter.api.Timeout(30)
    @Test
    void readaheadIsHarmlessOnEveryKindOfEntryAndLeaksNoDescriptor() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(FileStat.Readahead.AVAILABLE);
        Path file = Files.write(dir.resolve("file"), new byte[100_000]);
        Path unreadable = Files.write(dir.resolve("unreadable"), new byte[10]);
        Files.setPosixFilePermissions(unreadable, java.util.Set.of());
        Path fifo = dir.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        long before = openDescriptors();
        for (int i = 0; i < 2000; i++) {
            for (Path p : List.of(file, unreadable, fifo, link, dir, dir.resolve("missing"))) {
                FileStat.Readahead.willNeed(p);
            }
        }
        assertThat(openDescriptors()).isLessThanOrEqualTo(before + 2); // (the JDK may open a few of its own)
        assertThat(Files.readAllBytes(file)).hasSize(100_000);
    }

    private static long openDescriptors() throws java.io.IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
