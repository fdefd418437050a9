package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.core.testing.TestTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check and repair through the CLI on a local repository. */
class CheckCliTest {
    @TempDir
    Path tmp;
    private Path repo;
    private Path src;
    private final CliRunner kiln = new CliRunner().env("KILN_PASSWORD", "pw");

    @BeforeEach
    void setUp() throws Exception {
        repo = tmp.resolve("repo");
        src = TestTrees.sample(tmp.resolve("src"), 51);
        assertThat(kiln.run("init", "--repo", repo.toString(), "--kdf-memory", "256", "--kdf-iterations", "1",
                "--chunk-sizes", "16384,65536,262144", "--pack-size", "262144").exitCode()).isZero();
        assertThat(kiln.run("backup", "--repo", repo.toString(), src.toString()).exitCode()).isZero();
    }

    private List<Path> files(String dir) throws Exception {
        try (Stream<Path> s = Files.walk(repo.resolve(dir))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void cleanRepositoryExitsZeroWithCoverage() {
        CliRunner.Result r = kiln.run("check", "--repo", repo.toString(), "--read-data", "--max-age", "30d");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("no damage found").contains("coverage: 100.0% of pack bytes read back within 30d");
        CliRunner.Result budget = kiln.run("check", "--repo", repo.toString(), "--budget", "100KiB", "--max-age", "30d");
        assertThat(budget.exitCode()).isZero();
        assertThat(budget.out()).contains("read back 1 packs");
        assertThat(kiln.run("check", "--repo", repo.toString(), "--read-data-subset", "1/2").exitCode()).isZero();
        assertThat(kiln.run("check", "--repo", repo.toString(), "--read-data-subset", "3/2").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void damageExitsOneAndNamesTheFiles() throws Exception {
        Path pack = files("data").stream().max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        byte[] b = Files.readAllBytes(pack);
        b[100] ^= 1;
        Files.write(pack, b);
        CliRunner.Result structure = kiln.run("check", "--repo", repo.toString());
        assertThat(structure.exitCode()).isZero();

        CliRunner.Result r = kiln.run("check", "--repo", repo.toString(), "--read-data", "--json");
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILURE);
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertThat(report.get("clean").asBoolean()).isFalse();
        JsonNode affected = report.get("findings").findValues("affected").stream().filter(a -> !a.isEmpty()).findFirst().orElseThrow();
        assertThat(affected.get(0).get("path").asText()).startsWith(src.toString());

        CliRunner.Result text = kiln.run("check", "--repo", repo.toString(), "--read-data");
        assertThat(text.out()).contains("DAMAGE: ").containsPattern("affects [12] files").contains(src.toString()); // 2 when the blob is shared by copies

        CliRunner.Result restore = kiln.run("restore", "--repo", repo.toString(), "latest", "--target", tmp.resolve("out").toString());
        assertThat(restore.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(restore.err()).contains("not restored, damaged in the repository");
    }

    @Test
    void lostIndexIsRepaired() throws Exception {
        for (Path index : files("index")) {
            Files.delete(index);
        }
        CliRunner.Result broken = kiln.run("check", "--repo", repo.toString());
        assertThat(broken.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(broken.out()).contains("is named by no index file");

        CliRunner.Result repair = kiln.run("repair", "--repo", repo.toString(), "index");
        assertThat(repair.exitCode()).as(repair.err()).isZero();
        assertThat(repair.out()).contains("index rebuilt from");

        assertThat(kiln.run("check", "--repo", repo.toString(), "--read-data").exitCode()).isZero();
        Path out = tmp.resolve("out");
        assertThat(kiln.run("restore", "--repo", repo.toString(), "latest", "--target", out.toString()).exitCode()).isZero();
        TestTrees.assertSameTree(src, out.resolve(src.toString().substring(1)));
    }
}
