package dev.kiln.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming: a 5 GiB file backs up and restores through the launcher with a 256 MiB heap. The source is sparse
 * (random islands in zeros) so that it costs little disk; the restored copy is written in full.
 */
class LargeFileIT {
    static final long SIZE = 5L << 30;
    @TempDir
    Path tmp;

    @Test
    void fiveGibFileRoundTripsWith256MiBHeap() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        Path big = src.resolve("big.img");
        SplittableRandom r = new SplittableRandom(5);
        try (FileChannel ch = FileChannel.open(big, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] island = new byte[3 << 20];
            for (long pos = 0; pos < SIZE; pos += 97L << 20) {
                r.nextBytes(island);
                ch.write(ByteBuffer.wrap(island), pos);
            }
            ch.truncate(SIZE);
            ch.write(ByteBuffer.wrap(new byte[] {42}), SIZE - 1);
        }
        assertThat(Files.size(big)).isEqualTo(SIZE);
        String expected = sha256(big);

        Path repo = tmp.resolve("repo");
        assertThat(kiln("init", "--repo", repo.toString(), "--kdf-memory", "1024")).isZero();
        assertThat(kiln("backup", "--repo", repo.toString(), src.toString())).isZero();
        Path out = tmp.resolve("out");
        assertThat(kiln("restore", "--repo", repo.toString(), "latest", "--target", out.toString())).isZero();
        Path restored = out.resolve(big.toString().substring(1));
        assertThat(Files.size(restored)).isEqualTo(SIZE);
        assertThat(sha256(restored)).isEqualTo(expected);
    }

    private int kiln(String... args) throws Exception {
        var cmd = new java.util.ArrayList<String>();
        cmd.add(LauncherIT.ROOT.resolve("kiln").toString());
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log").toFile());
        pb.environment().put("KILN_PASSWORD", "big");
        pb.environment().put("KILN_JAVA_OPTS", "-Xmx256m");
        Process p = pb.start();
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0) {
            System.err.println(Files.readString(tmp.resolve("log")));
        }
        return p.exitValue();
    }

    private static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
