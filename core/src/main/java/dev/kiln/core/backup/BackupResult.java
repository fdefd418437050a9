package dev.kiln.core.backup;

import dev.kiln.core.snapshot.Snapshot;
import java.util.List;

/**
 * The snapshot made, and what happened on the way: {@code warnings} make the snapshot incomplete (unreadable
 * files, files that kept changing while read); {@code notices} do not (files that vanished during the backup).
 * {@code treesReused} counts directories whose tree was taken unchanged from the parent snapshot.
 */
public record BackupResult(String snapshotId, Snapshot snapshot, List<String> warnings, List<String> notices, long treesReused) {
    public BackupResult {
        warnings = List.copyOf(warnings);
        notices = List.copyOf(notices);
    }

    public boolean complete() {
        return warnings.isEmpty();
    }
}
