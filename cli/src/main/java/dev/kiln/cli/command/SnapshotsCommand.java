package dev.kiln.cli.command;

import dev.kiln.cli.output.Json;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.SnapshotRef;
import dev.kiln.core.snapshot.Snapshot;
import dev.kiln.core.store.BlobStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kiln snapshots}: lists snapshots, oldest first. */
@Command(name = "snapshots", mixinStandardHelpOptions = true, description = "List snapshots, oldest first.")
public final class SnapshotsCommand implements Callable<Integer> {
    @ParentCommand
    KilnCommand root;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (BlobStore store = root.openStore(true); Repository repo = root.openRepository(store)) {
            List<SnapshotRef> all = repo.listSnapshots();
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (SnapshotRef r : all) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", r.id());
                    m.put("short_id", r.shortId());
                    m.putAll(Json.MAPPER.convertValue(r.snapshot(), Map.class));
                    rows.add(m);
                }
                root.out.println(Json.write(rows));
            } else {
                root.out.printf("%-8s  %-24s  %-16s  %-12s  %s%n", "ID", "Time", "Host", "Tags", "Paths");
                for (SnapshotRef r : all) {
                    Snapshot s = r.snapshot();
                    root.out.printf("%-8s  %-24s  %-16s  %-12s  %s%n", r.shortId(), s.time(), s.hostname(),
                            String.join(",", s.tags()), String.join(" ", s.paths()));
                }
                root.out.printf("%d snapshots%n", all.size());
            }
            root.out.flush();
        }
        return 0;
    }
}
