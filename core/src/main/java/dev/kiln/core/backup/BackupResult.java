package dev.kiln.core.backup;

import dev.kiln.core.snapshot.Snapshot;
import java.util.List;

/** The snapshot made and what was skipped on the way (unreadable or vanished files). */
public record BackupResult(String snapshotId, Snapshot snapshot, List<String> warnings) {
    public BackupResult {
        warnings = List.copyOf(warnings);
    }

    public boolean complete() {
        return warnings.isEmpty();
    }
}
