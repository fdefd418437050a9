package dev.kiln.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.cli.Main;
import dev.kiln.core.testing.TestTrees;
import dev.kiln.stores.s3.S3ProxyServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against S3Proxy on 127.0.0.1: in-process, and two launcher processes at once. */
class S3CliIT {
    @TempDir
    static Path serverDir;
    static S3ProxyServer server;
    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        server = new S3ProxyServer(serverDir.resolve("s3"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    record Result(int code, String out, String err) {
    }

    private Result kiln(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("KILN_PASSWORD", "s3-pw", "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS,
                "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET, "XDG_CACHE_HOME", tmp.resolve("cache").toString(),
                "HOME", tmp.resolve("home").toString()));
        env.putAll(extraEnv);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void initBackupRestoreCheckThroughTheCli() throws Exception {
        String repo = server.createBucket("cli", "hosts/web1");
        Path src = TestTrees.sample(tmp.resolve("src"), 71);
        assertThat(kiln(Map.of(), "init", "--repo", repo, "--kdf-memory", "1024").code()).isZero();
        Result b = kiln(Map.of(), "backup", "--repo", repo, src.toString());
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("store:").contains("PUT");
        Result again = kiln(Map.of(), "backup", "--repo", repo, src.toString(), "--json");
        assertThat(again.out()).contains("\"files_unchanged\":7");
        Path out = tmp.resolve("out");
        Result r = kiln(Map.of(), "restore", "--repo", repo, "latest", "--target", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        TestTrees.assertSameTree(src, out.resolve(src.toString().substring(1)));
        Result check = kiln(Map.of(), "check", "--repo", repo, "--read-data");
        assertThat(check.code()).as(check.out()).isZero();
        assertThat(kiln(Map.of(), "init", "--repo", repo).code()).isEqualTo(1); // never overwrites a repository
    }

    @Test
    void wrongCredentialsAreOneLineAndExitOne() {
        String repo = server.createBucket("denied-cli", "");
        Result r = kiln(Map.of("AWS_SECRET_ACCESS_KEY", "not-the-secret"), "snapshots", "--repo", repo);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1).first().asString().startsWith("kiln: ").contains("403");
        Result gone = kiln(Map.of(), "snapshots", "--repo", "s3:" + server.endpoint() + "/no-such-bucket/x");
        assertThat(gone.code()).isEqualTo(10); // no bucket, no repository
        assertThat(gone.err().strip().lines()).hasSize(1).first().asString().contains("no-such-bucket");
    }

    @Test
    void twoProcessesBackUpIntoOneRepositoryAtOnce() throws Exception {
        String repo = server.createBucket("shared", "all-hosts");
        assertThat(kiln(Map.of(), "init", "--repo", repo, "--kdf-memory", "1024").code()).isZero();
        Path a = TestTrees.sample(tmp.resolve("host-a"), 72);
        Path b = TestTrees.sample(tmp.resolve("host-b"), 73);
        Files.write(b.resolve("copy1.bin"), Files.readAllBytes(a.resolve("copy1.bin"))); // shared content across hosts
        List<Process> procs = new ArrayList<>();
        for (Path src : List.of(a, b)) {
            ProcessBuilder pb = new ProcessBuilder(LauncherIT.ROOT.resolve("kiln").toString(), "backup", "--repo", repo,
                    "--host", src.getFileName().toString(), src.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve(src.getFileName() + ".log").toFile());
            pb.environment().putAll(Map.of("KILN_PASSWORD", "s3-pw", "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS,
                    "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET, "XDG_CACHE_HOME", tmp.resolve("cache-" + src.getFileName()).toString()));
            procs.add(pb.start());
        }
        for (Process p : procs) {
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        }
        for (int i = 0; i < 2; i++) {
            assertThat(procs.get(i).exitValue()).as(Files.readString(tmp.resolve((i == 0 ? "host-a" : "host-b") + ".log"))).isZero();
        }
        Result snaps = kiln(Map.of(), "snapshots", "--repo", repo, "--json");
        assertThat(snaps.out()).contains("\"hostname\":\"host-a\"").contains("\"hostname\":\"host-b\"");
        for (Path src : List.of(a, b)) {
            String id = snaps.out().replaceAll("(?s).*\"id\":\"([0-9a-f]{64})\",\"short_id\":\"[0-9a-f]{8}\"[^}]*\"hostname\":\"" + src.getFileName() + "\".*", "$1");
            Path out = tmp.resolve("out-" + src.getFileName());
            Result r = kiln(Map.of(), "restore", "--repo", repo, id, "--target", out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            TestTrees.assertSameTree(src, out.resolve(src.toString().substring(1)));
        }
        assertThat(kiln(Map.of(), "check", "--repo", repo, "--read-data").code()).isZero();
    }
}
