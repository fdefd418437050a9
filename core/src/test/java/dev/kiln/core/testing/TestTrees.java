package dev.kiln.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds file trees for tests, and compares two trees as a restore must reproduce them. */
public final class TestTrees {
    private TestTrees() {
    }

    /** A tree with text, random and repeated content, empty files and dirs, symlinks, modes, odd names. */
    public static Path sample(Path root, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        Files.createDirectories(root.resolve("src/main/java"));
        Files.createDirectories(root.resolve("empty-dir"));
        Files.createDirectories(root.resolve("deep/a/b/c/d/e"));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("line ").append(i).append(" of some source text, seed ").append(seed).append('\n');
        }
        Files.writeString(root.resolve("src/main/java/Text.java"), text);
        Files.write(root.resolve("src/random.bin"), random(r, 3_000_000));
        byte[] repeated = random(r, 700_000);
        Files.write(root.resolve("copy1.bin"), repeated);
        Files.write(root.resolve("deep/a/b/c/d/e/copy2.bin"), repeated);
        Files.write(root.resolve("empty.txt"), new byte[0]);
        Files.writeString(root.resolve("name with spaces & ünïcödé.txt"), "unicode\n");
        Files.writeString(root.resolve("script.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(root.resolve("script.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(root.resolve("empty-dir"), PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(root.resolve("link-to-text"), Path.of("src/main/java/Text.java"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nonexistent/target"));
        Files.setLastModifiedTime(root.resolve("copy1.bin"), FileTime.from(Instant.parse("2001-02-03T04:05:06.123456789Z")));
        Files.setLastModifiedTime(root.resolve("deep/a"), FileTime.from(Instant.parse("2010-01-01T00:00:00Z")));
        return root;
    }

    public static byte[] random(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Asserts that {@code actual} holds what {@code expected} holds: types, content, modes, mtimes, link targets. */
    public static void assertSameTree(Path expected, Path actual) throws IOException {
        Map<String, String> e = describe(expected);
        Map<String, String> a = describe(actual);
        assertThat(a).isEqualTo(e);
    }

    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            String rel = root.relativize(p).toString();
            Map<String, Object> attrs = Files.readAttributes(p, "unix:mode,lastModifiedTime,size", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) attrs.get("mode");
            StringBuilder d = new StringBuilder(Integer.toOctalString(mode));
            if (Files.isSymbolicLink(p)) {
                d.append(" -> ").append(Files.readSymbolicLink(p));
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                d.append(" size=").append(attrs.get("size")).append(" sha256=").append(sha256(p));
            }
            if (!Files.isSymbolicLink(p) && !rel.isEmpty()) {
                d.append(" mtime=").append(((FileTime) attrs.get("lastModifiedTime")).toInstant());
            }
            out.put(rel, d.toString());
        }
        return out;
    }

    private static String sha256(Path p) throws IOException {
        try (var in = Files.newInputStream(p)) {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
