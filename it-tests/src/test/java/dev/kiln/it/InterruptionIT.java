package dev.kiln.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.testing.TestTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups killed with SIGKILL at several points, and interrupted with SIGINT (Ctrl-C), through the launcher:
 * earlier snapshots still restore, the repository checks clean, locks are released, and the next backup
 * succeeds and reuses what the killed runs stored.
 */
class InterruptionIT {
    @TempDir
    Path tmp;

    private Process start(Path repo, Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LauncherIT.ROOT.resolve("kiln").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--repo", repo.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KILN_PASSWORD", "interrupt-pw");
        return pb.start();
    }

    private int run(Path repo, String... args) throws Exception {
        Path log = tmp.resolve("run.log");
        Process p = start(repo, log, args);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0) {
            System.err.println(Files.readString(log));
        }
        return p.exitValue();
    }

    private static Path bigTree(Path dir, int files) throws Exception {
        Files.createDirectories(dir);
        SplittableRandom r = new SplittableRandom(99);
        for (int i = 0; i < files; i++) {
            Files.write(dir.resolve("blob-" + i + ".bin"), TestTrees.random(r, 5 << 20));
        }
        return dir;
    }

    /** Whether {@code dir} exists and holds a file (a backup writing to it may rename or remove files meanwhile). */
    private static boolean holdsAFile(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(Files::isRegularFile);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void killedBackupsLoseNothingAndTheNextOneReusesTheirData() throws Exception {
        Path repo = tmp.resolve("repo");
        Path small = TestTrees.sample(tmp.resolve("small"), 81);
        Path big = bigTree(tmp.resolve("big"), 80);
        assertThat(run(repo, "init", "--kdf-memory", "1024")).isZero();
        assertThat(run(repo, "backup", small.toString(), "--json")).isZero();
        String first = Files.readString(tmp.resolve("run.log")).replaceAll("(?s).*\"snapshot\":\"([0-9a-f]{64})\".*", "$1");
        assertThat(first).matches("[0-9a-f]{64}");

        for (long delayMs : new long[] {300, 1500, 3500}) {
            Process p = start(repo, tmp.resolve("killed.log"), "backup", big.toString());
            Thread.sleep(delayMs);
            p.destroyForcibly(); // SIGKILL
            p.waitFor(60, TimeUnit.SECONDS);

            Path out = tmp.resolve("out-" + delayMs);
            assertThat(run(repo, "restore", first.substring(0, 12), "--target", out.toString())).isZero();
            TestTrees.assertSameTree(small, out.resolve(small.toString().substring(1)));
            assertThat(run(repo, "check")).isZero();
        }

        long before = size(repo.resolve("data"));
        assertThat(run(repo, "backup", big.toString())).isZero();
        long uploaded = size(repo.resolve("data")) - before;
        long total = size(big);
        System.out.printf("killed backups: the final backup stored %d of %d MiB; %d MiB were reused from the killed runs%n",
                uploaded >> 20, total >> 20, Math.max(0, total - uploaded) >> 20);
        Path out = tmp.resolve("out-final");
        assertThat(run(repo, "restore", "latest", "--target", out.toString())).isZero();
        TestTrees.assertSameTree(big, out.resolve(big.toString().substring(1)));
        assertThat(run(repo, "check", "--read-data")).isZero();
        try (Stream<Path> locks = Files.list(repo.resolve("locks"))) {
            assertThat(locks.filter(p -> !p.getFileName().toString().startsWith("."))).hasSizeLessThanOrEqualTo(3); // killed runs leave stale locks
        }
    }

    @Test
    void ctrlCExits130AndReleasesTheLock() throws Exception {
        Path repo = tmp.resolve("repo");
        Path big = bigTree(tmp.resolve("big"), 60);
        assertThat(run(repo, "init", "--kdf-memory", "1024")).isZero();
        // Uploads limited to 8 MiB/s, so that the 300 MiB take ~40 s and the signal comes mid-backup, once a pack is stored.
        Process p = start(repo, tmp.resolve("interrupted.log"), "backup", big.toString(), "--limit-upload", "8192");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!holdsAFile(repo.resolve("data")) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(p.isAlive()).as("backup still running when interrupted").isTrue();
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(130);
        try (Stream<Path> locks = Files.list(repo.resolve("locks"))) {
            assertThat(locks.filter(f -> !f.getFileName().toString().startsWith("."))).isEmpty();
        }
        assertThat(run(repo, "backup", big.toString())).isZero();
        assertThat(run(repo, "check")).isZero();
    }
}
