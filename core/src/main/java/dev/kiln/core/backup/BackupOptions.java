package dev.kiln.core.backup;

import dev.kiln.core.repo.SnapshotRef;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What to back up and how to label it. */
public record BackupOptions(List<Path> paths, String hostname, String username, List<String> tags,
                            List<String> excludes, Optional<SnapshotRef> parent, int workers) {
    public BackupOptions {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("nothing to back up: no paths given");
        }
        paths = List.copyOf(paths);
        tags = List.copyOf(tags);
        excludes = List.copyOf(excludes);
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
    }
}
