package dev.kiln.cli.command;

import dev.kiln.cli.ExitCode;
import dev.kiln.cli.option.Quantities;
import dev.kiln.cli.output.Json;
import dev.kiln.cli.output.Sizes;
import dev.kiln.core.check.Affected;
import dev.kiln.core.check.CheckOptions;
import dev.kiln.core.check.CheckReport;
import dev.kiln.core.check.Checker;
import dev.kiln.core.check.Finding;
import dev.kiln.core.check.ReadSelection;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.RepositoryLock;
import dev.kiln.core.store.BlobStore;
import dev.kiln.stores.Stores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kiln check}: verifies the repository and reports what damage affects. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check the repository's structure; with --read-data, also read data back and authenticate it.",
                "Exit code 0 when no damage is found, 1 when some is (hints do not count)."})
public final class CheckCommand implements Callable<Integer> {
    static final int SHOWN_PER_FINDING = 10;

    @ParentCommand
    KilnCommand root;

    @Option(names = "--read-data", description = "Download every pack (or those chosen by --read-data-subset or --budget) and verify every blob.")
    boolean readData;

    @Option(names = "--read-data-subset", paramLabel = "N/M|P%|SIZE",
            description = "Read back slice N of M, P percent of the packs, or up to SIZE of the least recently verified packs.")
    String subset;

    @Option(names = "--budget", paramLabel = "SIZE", description = "Read back up to SIZE (e.g. 2GiB) of the least recently verified packs.")
    String budget;

    @Option(names = "--max-age", paramLabel = "AGE", description = "Report how much of the repository was read back within AGE (e.g. 30d).")
    String maxAge;

    @Option(names = "--json", description = "Print the full report as JSON.")
    boolean json;

    /**
     * The threads that read packs back: one per core where the store is local, whose reads are copies from the page
     * cache (more threads only added buffers to fill and switches: check --read-data of src-v1 on 2 cores, 2 threads
     * against 4, 2-5 % sooner, CPU -4 %); twice as many for S3, where each waits on the network for its pack.
     */
    static int packReaders(String location, int cores) {
        return Stores.isS3(location) ? 2 * cores : cores;
    }

    @Override
    public Integer call() throws Exception {
        CheckOptions options = new CheckOptions(selection(), Optional.ofNullable(maxAge).map(Quantities::age),
                packReaders(root.location().location(), Runtime.getRuntime().availableProcessors()));
        try (BlobStore store = root.openStore(true); Repository repo = root.openRepository(store);
             RepositoryLock lock = repo.lock(false, KilnCommand.hostname(), KilnCommand.username())) {
            CheckReport report = new Checker(repo, options).run();
            if (json) {
                Map<String, Object> j = toJson(report);
                j.put("requests", root.requestStats.snapshot());
                root.out.println(Json.write(j));
            } else {
                printText(report);
            }
            root.out.flush();
            return report.clean() ? ExitCode.OK : ExitCode.FAILURE;
        }
    }

    ReadSelection selection() {
        if (subset != null && budget != null) {
            throw new IllegalArgumentException("give --read-data-subset or --budget, not both");
        }
        if (budget != null) {
            return new ReadSelection.Budget(Quantities.bytes(budget));
        }
        if (subset != null) {
            if (subset.matches("\\d+/\\d+")) {
                String[] nm = subset.split("/");
                return new ReadSelection.Slice(Integer.parseInt(nm[0]), Integer.parseInt(nm[1]));
            }
            if (subset.matches("\\d+(\\.\\d+)?%")) {
                return new ReadSelection.Percent(Double.parseDouble(subset.substring(0, subset.length() - 1)));
            }
            return new ReadSelection.Budget(Quantities.bytes(subset));
        }
        return readData ? new ReadSelection.All() : new ReadSelection.None();
    }

    private void printText(CheckReport r) {
        root.out.printf("checked %d snapshots, %d trees, %d packs (%s) in %s%n", r.snapshots(), r.trees(), r.packs(),
                Sizes.human(r.packBytes()), Sizes.seconds(r.durationMillis()));
        if (r.packsRead() > 0) {
            root.out.printf("read back %d packs (%s)%n", r.packsRead(), Sizes.human(r.bytesRead()));
        }
        if (r.coverage() >= 0) {
            root.out.printf(Locale.ROOT, "coverage: %.1f%% of pack bytes read back within %s%n", 100 * r.coverage(), maxAge);
        }
        for (Finding f : r.findings()) {
            root.out.println((f.isError() ? "DAMAGE: " : "hint: ") + f.message());
            List<Affected> affected = f.affected();
            if (!affected.isEmpty()) {
                long files = affected.stream().filter(a -> !a.isDirectory()).count();
                long dirs = affected.size() - files;
                long bytes = affected.stream().filter(a -> !a.isDirectory()).mapToLong(Affected::bytes).sum();
                long snapshots = affected.stream().map(Affected::snapshot).distinct().count();
                root.out.printf("  affects %d files (%s)%s in %d snapshots:%n", files, Sizes.human(bytes),
                        dirs > 0 ? " and the contents of " + dirs + " directories" : "", snapshots);
                affected.stream().limit(SHOWN_PER_FINDING).forEach(a -> root.out.printf("    %s %s%s%n", a.snapshot(), a.path(),
                        a.isDirectory() ? " (directory listing lost)" : " (" + Sizes.human(a.bytes()) + ")"));
                if (affected.size() > SHOWN_PER_FINDING) {
                    root.out.printf("    ... and %d more (--json lists all)%n", affected.size() - SHOWN_PER_FINDING);
                }
            }
        }
        root.out.println("store: " + Sizes.requests(root.requestStats.snapshot()));
        root.out.println(r.clean() ? "no damage found" : "damage found: " + r.findings().stream().filter(Finding::isError).count() + " problems");
    }

    private static Map<String, Object> toJson(CheckReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clean", r.clean());
        m.put("snapshots", r.snapshots());
        m.put("trees", r.trees());
        m.put("packs", r.packs());
        m.put("pack_bytes", r.packBytes());
        m.put("packs_read", r.packsRead());
        m.put("bytes_read", r.bytesRead());
        m.put("coverage", r.coverage() >= 0 ? r.coverage() : null);
        m.put("duration_ms", r.durationMillis());
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Finding f : r.findings()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("kind", f.getClass().getSimpleName());
            j.put("error", f.isError());
            j.put("message", f.message());
            j.put("affected", f.affected());
            findings.add(j);
        }
        m.put("findings", findings);
        return m;
    }
}
