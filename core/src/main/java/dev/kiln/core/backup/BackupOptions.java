package dev.kiln.core.backup;

import dev.kiln.core.repo.SnapshotRef;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What to back up and how to label it. {@code oneFileSystem}: do not descend into directories on other file
 * systems than their backup path's; {@code excludeCaches}: leave out the contents of directories holding a valid
 * CACHEDIR.TAG (the tag itself is kept); {@code excludeLargerThan}: leave out regular files larger than this many
 * bytes (0: no limit); {@code force}: read every file again, whatever the parent snapshot says (the parent is
 * still recorded).
 */
public record BackupOptions(List<Path> paths, String hostname, String username, List<String> tags,
                            List<String> excludes, Optional<SnapshotRef> parent, int workers,
                            boolean oneFileSystem, boolean excludeCaches, long excludeLargerThan, boolean force) {
    public BackupOptions(List<Path> paths, String hostname, String username, List<String> tags,
                         List<String> excludes, Optional<SnapshotRef> parent, int workers) {
        this(paths, hostname, username, tags, excludes, parent, workers, false, false, 0, false);
    }

    public BackupOptions(List<Path> paths, String hostname, String username, List<String> tags,
                         List<String> excludes, Optional<SnapshotRef> parent, int workers,
                         boolean oneFileSystem, boolean excludeCaches, long excludeLargerThan) {
        this(paths, hostname, username, tags, excludes, parent, workers, oneFileSystem, excludeCaches, excludeLargerThan, false);
    }

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
