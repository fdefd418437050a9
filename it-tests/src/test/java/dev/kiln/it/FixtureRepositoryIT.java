package dev.kiln.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed format-v1 repositories (made by fixtures/make-fixtures.sh) must stay readable by every later
 * kiln, and reading them must not change them.
 */
class FixtureRepositoryIT {
    static final Path FIXTURES = Path.of(System.getProperty("kiln.fixtures", "src/test/resources/fixtures"));
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"repo-v1-sha256", "repo-v1-tiger-tree"})
    void restoresTheRecordedTree(String name) throws Exception {
        Path repo = FIXTURES.resolve(name);
        List<String> before = listing(repo);

        String snapshots = run("snapshots", "--repo", repo.toString(), "--json");
        assertThat(snapshots).contains("\"hostname\":\"fixture-host\"").contains("\"tags\":[\"fixture\"]")
                .contains("\"paths\":[\"/tmp/kiln-fixture-src\"]");
        assertThat(run("ls", "--repo", repo.toString(), "latest", "/tmp/kiln-fixture-src/docs"))
                .contains("/tmp/kiln-fixture-src/docs/readme.txt");

        run("restore", "--repo", repo.toString(), "latest", "--target", tmp.toString());
        Path restored = tmp.resolve("tmp/kiln-fixture-src");
        assertThat(describe(restored)).isEqualTo(Files.readAllLines(FIXTURES.resolve("expected-tree.txt")));
        assertThat(listing(repo)).isEqualTo(before);
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of("KILN_PASSWORD", "kiln-fixture"));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    /** The same description as the python that wrote expected-tree.txt. */
    static List<String> describe(Path root) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> !p.equals(root)).toList()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                String mode = "0o" + Integer.toOctalString((Integer) a.get("mode") & 07777);
                FileTime mtime = (FileTime) a.get("lastModifiedTime");
                long ns = mtime.toInstant().getEpochSecond() * 1_000_000_000L + mtime.toInstant().getNano();
                String d;
                if (Files.isSymbolicLink(p)) {
                    d = "link " + mode + " -> " + Files.readSymbolicLink(p);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    d = "dir " + mode + " mtime=" + ns;
                } else {
                    d = "file " + mode + " size=" + a.get("size") + " sha256="
                            + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))) + " mtime=" + ns;
                }
                lines.add(root.relativize(p) + "\t" + d);
            }
        }
        lines.sort(null);
        return lines;
    }

    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p) + " " + p.toFile().length()).sorted().toList();
        }
    }
}
