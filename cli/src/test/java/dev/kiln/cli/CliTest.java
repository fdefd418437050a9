package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.cli.command.KilnCommand;
import dev.kiln.cli.command.KilnCommandAccess;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.RepositoryLock;
import dev.kiln.core.testing.TestTrees;
import dev.kiln.stores.local.LocalBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;
    private Path repo;
    private CliRunner kiln;

    @BeforeEach
    void setUp() {
        repo = tmp.resolve("repo");
        kiln = new CliRunner().env("KILN_PASSWORD", "pw").env("HOME", tmp.resolve("home").toString());
    }

    private void init() {
        CliRunner.Result r = kiln.run("init", "--repo", repo.toString(), "--kdf-memory", "256", "--kdf-iterations", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("created repository");
    }

    @Test
    void backupSnapshotsLsRestoreRoundTrip() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 11);
        init();
        CliRunner.Result b = kiln.run("--repo", repo.toString(), "backup", src.toString(), "--tag", "nightly", "--host", "web1", "--json");
        assertThat(b.exitCode()).as(b.err()).isZero();
        JsonNode summary = JSON.readTree(b.out());
        assertThat(summary.at("/summary/files_new").asInt()).isEqualTo(7);
        assertThat(summary.at("/summary/bytes_read").asLong()).isGreaterThan(4_000_000);
        String id = summary.get("snapshot").asText();

        CliRunner.Result again = kiln.run("backup", "--repo", repo.toString(), src.toString(), "--host", "web1");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("0 new, 0 changed, 7 unchanged").contains("read:     0 B");

        JsonNode snaps = JSON.readTree(kiln.run("snapshots", "--repo", repo.toString(), "--json").out());
        assertThat(snaps).hasSize(2);
        assertThat(snaps.get(0).get("id").asText()).isEqualTo(id);
        assertThat(snaps.get(0).get("tags").get(0).asText()).isEqualTo("nightly");
        assertThat(snaps.get(0).get("hostname").asText()).isEqualTo("web1");
        assertThat(kiln.run("snapshots", "--repo", repo.toString()).out()).contains(id.substring(0, 8)).contains("2 snapshots");

        CliRunner.Result ls = kiln.run("ls", "--repo", repo.toString(), id.substring(0, 6), src.resolve("src").toString(), "--json");
        assertThat(ls.exitCode()).as(ls.err()).isZero();
        List<String> lines = ls.out().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(JSON.readTree(lines.get(0)).get("type").asText()).isEqualTo("dir");
        assertThat(kiln.run("ls", "--repo", repo.toString(), "latest", "-l").out()).contains("-rwxr-x---").contains("link-to-text -> src/main/java/Text.java");

        Path out = tmp.resolve("out");
        CliRunner.Result r = kiln.run("restore", "--repo", repo.toString(), "latest", "--target", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        TestTrees.assertSameTree(src, out.resolve(src.toString().substring(1)));

        Path part = tmp.resolve("part");
        r = kiln.run("restore", "--repo", repo.toString(), id, "--target", part.toString(), "--include", "*.sh");
        assertThat(r.exitCode()).isZero();
        try (Stream<Path> s = Files.walk(part)) {
            assertThat(s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())).containsExactly("script.sh");
        }
    }

    @Test
    void defaultRepositoryIsCreatedOnFirstBackup() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 12);
        kiln.env("XDG_DATA_HOME", tmp.resolve("xdg").toString());
        CliRunner.Result b = kiln.run("backup", src.toString());
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(b.err()).contains("created repository");
        assertThat(tmp.resolve("xdg/kiln/repository/config")).exists();
        assertThat(kiln.run("snapshots").out()).contains("1 snapshots");
    }

    @Test
    void wrongPasswordIsOneLineExit12AndChangesNothing() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 13);
        init();
        List<Path> before = listing(repo);
        CliRunner.Result r = new CliRunner().env("KILN_PASSWORD", "wrong").run("backup", "--repo", repo.toString(), src.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.WRONG_PASSWORD);
        assertThat(r.err().lines()).hasSize(1).first().asString().startsWith("kiln: wrong password");
        assertThat(listing(repo)).isEqualTo(before);
    }

    @Test
    void passwordFileAndCommandWork() throws Exception {
        init();
        Path pw = tmp.resolve("pw.txt");
        Files.writeString(pw, "pw\n");
        CliRunner noEnvPassword = new CliRunner();
        assertThat(noEnvPassword.run("snapshots", "--repo", repo.toString(), "--password-file", pw.toString()).exitCode()).isZero();
        assertThat(new CliRunner().env("KILN_PASSWORD_FILE", pw.toString()).run("snapshots", "--repo", repo.toString()).exitCode()).isZero();
        assertThat(new CliRunner().env("KILN_PASSWORD_COMMAND", "echo pw").run("snapshots", "--repo", repo.toString()).exitCode()).isZero();
        assertThat(new CliRunner().env("KILN_PASSWORD_COMMAND", "echo nope").run("snapshots", "--repo", repo.toString()).exitCode())
                .isEqualTo(ExitCode.WRONG_PASSWORD);
        assertThat(new CliRunner().env("KILN_REPOSITORY", repo.toString()).env("KILN_PASSWORD", "pw").run("snapshots").exitCode()).isZero();
    }

    @Test
    void missingRepositoryIsExit10() {
        Path nowhere = tmp.resolve("nowhere");
        for (String[] args : List.of(new String[] {"snapshots"}, new String[] {"backup", tmp.toString()},
                new String[] {"restore", "latest", "--target", tmp.resolve("o").toString()}, new String[] {"ls", "latest"})) {
            String[] full = Stream.concat(Stream.of(args), Stream.of("--repo", nowhere.toString())).toArray(String[]::new);
            CliRunner.Result r = kiln.run(full);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCode.NO_REPOSITORY);
            assertThat(r.err()).contains("no repository");
        }
        assertThat(nowhere).doesNotExist();
    }

    @Test
    void lockedRepositoryIsExit11() throws Exception {
        init();
        try (Repository r = Repository.open(new LocalBlobStore(repo), "pw".getBytes(), Clock.systemUTC());
             RepositoryLock lock = r.lock(true, "other-host", "root")) {
            CliRunner.Result res = kiln.run("backup", "--repo", repo.toString(), tmp.resolve("home").toString());
            assertThat(res.exitCode()).isEqualTo(ExitCode.LOCKED);
            assertThat(res.err()).contains("locked");
        }
    }

    @Test
    void usageErrorsAreExit2AndHelpShowsExitCodes() {
        assertThat(kiln.run("backup").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(kiln.run("frobnicate").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(kiln.run("init", "--repo", repo.toString(), "--hash", "md5").exitCode()).isEqualTo(ExitCode.USAGE);
        CliRunner.Result help = kiln.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("backup", "restore", "12   wrong password", "130  interrupted");
        assertThat(kiln.run("backup", "--help").out()).contains("--exclude", "Exit codes");
    }

    @Test
    void onlyTheNamedSubcommandIsBuiltAndAnOptionValueNamedLikeOneDoesNotConfuseTheParse() {
        assertThat(KilnCommandAccess.subcommandNames()).containsExactlyElementsOf(KilnCommandAccess.annotatedNames());
        java.io.PrintWriter sink = new java.io.PrintWriter(java.io.Writer.nullWriter());
        picocli.CommandLine one = KilnCommand.commandLine(sink, sink, java.util.Map.of(), new String[] {"snapshots", "--json", "snapshots"});
        assertThat(one.getSubcommands().keySet()).containsExactly("snapshots");
        picocli.CommandLine all = KilnCommand.commandLine(sink, sink, java.util.Map.of(), new String[] {"--help"});
        assertThat(all.getSubcommands().keySet()).containsExactlyElementsOf(KilnCommandAccess.subcommandNames());

        // The same arguments parse the same way with only the named subcommands as with all of them: same exit code,
        // same first line (picocli refuses a subcommand's name as an option's value, lazily or not).
        for (String[] args : List.of(new String[] {"--repo", "backup", "snapshots"}, new String[] {"--repo", "nowhere", "snapshots"},
                new String[] {"snapshot"}, new String[] {"ls"}, new String[] {"check", "--read-data-subset", "x", "--repo", "nowhere"},
                new String[] {"restore", "--help"}, new String[] {"--version"}, new String[] {"repair"})) {
            java.io.StringWriter lazyErr = new java.io.StringWriter();
            java.io.StringWriter fullErr = new java.io.StringWriter();
            java.util.Map<String, String> env = java.util.Map.of("KILN_PASSWORD", "pw", "HOME", tmp.toString());
            int lazy = KilnCommand.commandLine(sink, new java.io.PrintWriter(lazyErr, true), env, args).execute(args);
            int full = KilnCommand.commandLine(sink, new java.io.PrintWriter(fullErr, true), env).execute(args);
            assertThat(lazy).as(String.join(" ", args)).isEqualTo(full);
            assertThat(lazyErr.toString().lines().findFirst()).as(String.join(" ", args)).isEqualTo(fullErr.toString().lines().findFirst());
        }

        CliRunner.Result typo = kiln.run("snapshot");
        assertThat(typo.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(typo.err()).contains("snapshots");
    }

    @Test
    void forceReadsEverythingAgainAndParentChoosesTheComparison() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 15);
        init();
        assertThat(kiln.run("backup", "--repo", repo.toString(), src.toString()).exitCode()).isZero();
        CliRunner.Result again = kiln.run("backup", "--repo", repo.toString(), "--json", src.toString());
        assertThat(again.out()).contains("\"files_unchanged\":7").contains("\"bytes_read\":0");
        CliRunner.Result forced = kiln.run("backup", "--repo", repo.toString(), "--json", "--force", src.toString());
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("\"files_unchanged\":0").contains("\"blobs_added\":0").doesNotContain("\"bytes_read\":0");
        String first = kiln.run("snapshots", "--repo", repo.toString()).out().lines().skip(1).findFirst().orElseThrow().substring(0, 8);
        CliRunner.Result withParent = kiln.run("backup", "--repo", repo.toString(), "--json", "--parent", first, src.toString());
        assertThat(withParent.exitCode()).as(withParent.err()).isZero();
        assertThat(withParent.out()).contains("\"parent\":\"" + first);
        assertThat(kiln.run("backup", "--repo", repo.toString(), "--parent", "ffffffff", src.toString()).exitCode()).isNotZero();
    }

    @Test
    void unreadableFileIsWarnedAndExit3() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"), 14);
        init();
        Path vanishing = src.resolve("src/random.bin");
        // A directory we cannot list: simulated by a name that is not a directory any more when read is hard;
        // use permissions when not root, otherwise a dangling nested path.
        Path locked = src.resolve("locked");
        Files.createDirectories(locked);
        Files.writeString(locked.resolve("f"), "x");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        }
        CliRunner.Result r = kiln.run("backup", "--repo", repo.toString(), src.toString());
        if (!root) {
            assertThat(r.exitCode()).isEqualTo(ExitCode.PARTIAL);
            assertThat(r.err()).contains("warning: cannot list directory " + locked);
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } else {
            assertThat(r.exitCode()).isZero();
        }
        assertThat(vanishing).exists();
    }

    @Test
    void aFileChangingDuringTheBackupIsExit3AndTheSnapshotIsMarkedIncomplete() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("busy"));
        Path log = src.resolve("app.log");
        Files.write(log, new byte[12 << 20]);
        init();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            while (!stop.get()) {
                try {
                    Files.writeString(log, "line\n", java.nio.file.StandardOpenOption.APPEND);
                    Thread.sleep(1);
                } catch (Exception e) {
                    return;
                }
            }
        });
        writer.start();
        try {
            CliRunner.Result r = kiln.run("backup", "--repo", repo.toString(), src.toString(), "--json");
            assertThat(r.exitCode()).isEqualTo(ExitCode.PARTIAL);
            assertThat(r.err()).contains("warning: changed while being read");
            assertThat(JSON.readTree(r.out()).at("/summary/incomplete").asBoolean()).isTrue();
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    private static List<Path> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }
}
