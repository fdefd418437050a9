package dev.kiln.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.testing.TestTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the built launcher, {@code ./kiln}, as a new user would. */
class LauncherIT {
    static final Path ROOT = Path.of(System.getProperty("kiln.project.root", "..")).toAbsolutePath().normalize();
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    Run kiln(Map<String, String> env, String... args) throws Exception {
        return kilnAs(List.of(), env, args);
    }

    /** Runs the launcher behind {@code prefix} (e.g. setpriv to run it as another user). */
    Run kilnAs(List<String> prefix, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(ROOT.resolve("kiln").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().remove("KILN_REPOSITORY");
        pb.environment().put("HOME", tmp.resolve("home").toString());
        pb.environment().put("XDG_DATA_HOME", tmp.resolve("xdg").toString());
        pb.environment().putAll(env);
        Path out = tmp.resolve("stdout"), err = tmp.resolve("stderr");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void backupThenRestoreOnTheDefaultRepositoryAndNoPlaintextInIt() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("data"), 21);
        Files.writeString(src.resolve("customer-ledger-4471.csv"), "ACME-CORP-SECRET-ROW,1000000\n".repeat(500));
        Map<String, String> env = Map.of("KILN_PASSWORD", "launcher-pw");

        Run b = kiln(env, "backup", src.toString());
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("8 new");
        Run again = kiln(env, "backup", src.toString());
        assertThat(again.out()).contains("8 unchanged").contains("read:     0 B");

        Path out = tmp.resolve("restored");
        Run r = kiln(env, "restore", "latest", "--target", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        TestTrees.assertSameTree(src, out.resolve(src.toString().substring(1)));

        Path repo = tmp.resolve("xdg/kiln/repository");
        assertThat(repo.resolve("config")).exists();
        List<String> needles = List.of("customer-ledger-4471", "ACME-CORP-SECRET-ROW", "Text.java", "line 17 of some source text",
                "name with spaces", "link-to-text", "#!/bin/sh");
        try (Stream<Path> files = Files.walk(repo)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String needle : needles) {
                    assertThat(content).as(f + " holds " + needle).doesNotContain(needle);
                    assertThat(f.toString()).doesNotContain(needle);
                }
            }
        }

        Run wrong = kiln(Map.of("KILN_PASSWORD", "nope"), "snapshots");
        assertThat(wrong.code()).isEqualTo(12);
        assertThat(wrong.err().strip().lines()).hasSize(1);
    }

    @Test
    void theLauncherRunsThroughALinkOnThePathAndByARelativePath() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("kiln"), ROOT.resolve("kiln"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        String relative = elsewhere.relativize(ROOT.resolve("kiln")).toString();
        for (List<String> cmd : List.of(List.of(bin.resolve("kiln").toString(), "--version"),
                List.of("bash", "-c", "PATH=" + bin + ":$PATH; kiln --version"), List.of(relative, "--version"))) {
            Process p = new ProcessBuilder(cmd).directory(elsewhere.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(cmd + ": " + out).isZero();
            assertThat(out).as(String.join(" ", cmd)).startsWith("kiln ");
        }
    }

    @Test
    void theStartUpCacheIsMadeOnceAndChangesNoOutput() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("data"), 5);
        Path jar;
        try (Stream<Path> jars = Files.list(ROOT.resolve("cli/target"))) {
            jar = jars.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst().orElseThrow();
        }
        Path aot = jar.resolveSibling(jar.getFileName() + ".aot");
        Files.deleteIfExists(aot);
        Map<String, String> with = Map.of("KILN_PASSWORD", "aot-pw", "KILN_AOT", "1");
        Map<String, String> without = Map.of("KILN_PASSWORD", "aot-pw", "KILN_AOT", "0");
        assertThat(kiln(without, "init").code()).isZero();

        Run first = kiln(with, "backup", src.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.err()).contains("preparing the start-up cache");
        assertThat(aot).exists();
        Run used = kiln(with, "ls", "latest");
        Run plain = kiln(without, "ls", "latest");
        assertThat(used.code()).as(used.err()).isZero();
        assertThat(used.err()).isEmpty();
        assertThat(used.out()).isEqualTo(plain.out());
    }

    /**
     * Where OpenSSL passes its self-test (noted next to the jar at the first run of a build) the launcher starts the
     * JVM without C2 (ADR 0008); {@code KILN_JIT=c2} keeps C2; without OpenSSL the JVM keeps C2.
     */
    @Test
    void theJvmRunsWithoutC2OnlyWhenOpenSslDoesTheCrypto() throws Exception {
        assertThat(kiln(Map.of(), "--version").code()).isZero(); // makes the native directory if this build has none
        Path jar;
        try (Stream<Path> jars = Files.list(ROOT.resolve("cli/target"))) {
            jar = jars.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst().orElseThrow();
        }
        boolean openssl = Files.exists(jar.resolveSibling(jar.getFileName() + ".native").resolve("openssl"));
        boolean libcrypto = Stream.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib/aarch64-linux-gnu")
                .anyMatch(d -> Files.exists(Path.of(d, "libcrypto.so.3")));
        assertThat(openssl).as("the build's OpenSSL note agrees with the system").isEqualTo(libcrypto);
        assertThat(tieredStopAtLevel(Map.of())).isEqualTo(openssl ? 1 : 4);
        assertThat(tieredStopAtLevel(Map.of("KILN_JIT", "c2"))).isEqualTo(4);
    }

    /**
     * check runs with the serial collector and an 8 MiB young generation (and its heap in huge pages), every other
     * command with the parallel collector; a global option's value is not taken for the command, and a heap size or a collector
     * in KILN_JAVA_OPTS leaves the choice to them.
     */
    @Test
    void checkRunsWithTheSerialCollectorOtherCommandsWithTheParallelOne() throws Exception {
        assertThat(collector(Map.of(), "check", "--help")).isEqualTo("UseSerialGC NewSize=8388608");
        assertThat(collector(Map.of(), "--repo", "/tmp/r", "check", "--help")).isEqualTo("UseSerialGC NewSize=8388608");
        assertThat(collector(Map.of(), "--repo=/tmp/r", "backup", "--help")).startsWith("UseParallelGC");
        assertThat(collector(Map.of(), "restore", "--help")).startsWith("UseParallelGC");
        assertThat(collector(Map.of("KILN_JAVA_OPTS", "-Xmx256m"), "check", "--help")).startsWith("UseParallelGC");
        assertThat(collector(Map.of("KILN_JAVA_OPTS", "-XX:+UseG1GC"), "check", "--help")).startsWith("UseG1GC");
        // and check's heap in transparent huge pages where the system offers them, the others' not
        Path setting = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        String thp = Files.isReadable(setting) ? Files.readString(setting) : "";
        boolean offered = thp.contains("[always]") || thp.contains("[madvise]");
        assertThat(flag("UseTransparentHugePages", "check", "--help")).isEqualTo(offered);
        assertThat(flag("UseTransparentHugePages", "backup", "--help")).isFalse();
    }

    /** A boolean JVM flag's value in a run of the launcher. */
    private boolean flag(String name, String... args) throws Exception {
        Run r = kiln(Map.of("KILN_JAVA_OPTS", "-XX:+PrintFlagsFinal"), args);
        assertThat(r.code()).as(r.err()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bool " + name + "\\s+=\\s+(true|false)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return Boolean.parseBoolean(m.group(1));
    }

    /** The collector the JVM ran with, and for the serial one its young generation's size. */
    private String collector(Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("KILN_JAVA_OPTS", (env.getOrDefault("KILN_JAVA_OPTS", "") + " -XX:+PrintFlagsFinal").strip());
        Run r = kiln(all, args);
        assertThat(r.code()).as(r.err()).isZero();
        for (String gc : List.of("UseSerialGC", "UseParallelGC", "UseG1GC")) {
            if (java.util.regex.Pattern.compile("bool " + gc + "\\s+=\\s+true").matcher(r.out()).find()) {
                if (!gc.equals("UseSerialGC")) {
                    return gc;
                }
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("size_t NewSize\\s+=\\s+(\\d+)").matcher(r.out());
                assertThat(m.find()).as(r.out()).isTrue();
                return gc + " NewSize=" + m.group(1);
            }
        }
        throw new AssertionError("no collector in " + r.out());
    }

    private int tieredStopAtLevel(Map<String, String> env) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("KILN_JAVA_OPTS", "-XX:+PrintFlagsFinal");
        Run r = kiln(all, "--version");
        assertThat(r.code()).as(r.err()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("TieredStopAtLevel\\s+=\\s+(\\d)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    static boolean rootWithSetpriv() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0 && Files.isExecutable(Path.of("/usr/bin/setpriv"));
    }

    /** Root reads everything; run as "nobody" so that a mode-000 file and directory really cannot be read. */
    @Test
    @org.junit.jupiter.api.condition.EnabledIf("rootWithSetpriv")
    void unreadableEntriesAreWarnedTheRestIsSavedAndTheExitCodeIs3() throws Exception {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path src = TestTrees.sample(tmp.resolve("data"), 31);
        Path secretFile = Files.writeString(src.resolve("secret.txt"), "not for nobody");
        Path secretDir = Files.createDirectories(src.resolve("private"));
        Files.writeString(secretDir.resolve("inside.txt"), "hidden");
        Files.setPosixFilePermissions(secretFile, java.util.Set.of());
        Files.setPosixFilePermissions(secretDir, java.util.Set.of());
        Path home = Files.createDirectories(tmp.resolve("nobody-home"));
        Files.setAttribute(home, "unix:uid", 65534);
        List<String> asNobody = List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        String repo = home.resolve("repo").toString();
        Map<String, String> env = Map.of("KILN_PASSWORD", "nobody-pw", "HOME", home.toString(),
                "XDG_CACHE_HOME", home.resolve("cache").toString(), "TMPDIR", home.toString());
        try {
            Run init = kilnAs(asNobody, env, "init", "--repo", repo);
            assertThat(init.code()).as(init.err()).isZero();
            Run b = kilnAs(asNobody, env, "backup", "--repo", repo, src.toString());
            assertThat(b.code()).as(b.err()).isEqualTo(3);
            assertThat(b.err()).contains("cannot read " + secretFile).contains("cannot list directory " + secretDir);
            Run list = kilnAs(asNobody, env, "snapshots", "--repo", repo, "--json");
            assertThat(list.out()).contains("\"incomplete\":true");
            Path out = home.resolve("out");
            Run r = kilnAs(asNobody, env, "restore", "--repo", repo, "latest", "--target", out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            Path restored = out.resolve(src.toString().substring(1));
            assertThat(restored.resolve("src/main/java/Text.java")).hasSameTextualContentAs(src.resolve("src/main/java/Text.java"));
            assertThat(restored.resolve("secret.txt")).doesNotExist();
        } finally {
            Files.setPosixFilePermissions(secretDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void noPasswordSourceOffATerminalIsAClearError() throws IOException, Exception {
        Run r = kiln(Map.of(), "snapshots", "--repo", tmp.resolve("none").toString());
        assertThat(r.code()).isEqualTo(10);
        Run init = kiln(Map.of(), "init", "--repo", tmp.resolve("new").toString());
        assertThat(init.code()).isEqualTo(1);
        assertThat(init.err()).contains("no password");
    }

    /** A fake JDK: a release file naming {@code version}, and a java that prints its arguments. */
    private Path fakeJdk(String name, String version) throws Exception {
        Path home = tmp.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"fake\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho \"fake java $*\"\n");
        java.toFile().setExecutable(true);
        return home;
    }

    @Test
    void theLauncherTakesJavaHomeOnlyWhenItsReleaseFileSays25OrNewer() throws Exception {
        // a real run first: the build's start-up cache and native libraries are prepared by a real JDK, not the fake
        assertThat(kiln(Map.of(), "--version").out()).isEqualTo("kiln 0.1.0\n");
        Run recent = kiln(Map.of("JAVA_HOME", fakeJdk("jdk-26", "26.0.1").toString()), "--version");
        assertThat(recent.out()).startsWith("fake java ").contains("-jar").endsWith("--version\n");

        Run old = kiln(Map.of("JAVA_HOME", fakeJdk("jdk-17", "17.0.9").toString()), "--version");
        assertThat(old.code()).as(old.err()).isZero();
        assertThat(old.out()).isEqualTo("kiln 0.1.0\n"); // a real JDK 25 found on PATH or under /usr/lib/jvm
    }
}
