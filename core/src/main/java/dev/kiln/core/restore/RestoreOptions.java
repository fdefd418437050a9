package dev.kiln.core.restore;

import java.nio.file.Path;
import java.util.List;

/**
 * Where to restore and what. As root, ownership is restored by user and group name when the name exists on
 * this system ({@code numericOwner}: always by id). {@code sparse}: blocks of zeros are left as holes. Patterns are globs over the snapshot path (e.g. {@code /home/ann/**}) or, when
 * they hold no '/', over the file name at any depth.
 */
public record RestoreOptions(Path target, List<String> includes, List<String> excludes, int workers,
                             boolean numericOwner, boolean sparse) {
    /** Ownership by name where the name exists here, holes for zero blocks. */
    public RestoreOptions(Path target, List<String> includes, List<String> excludes, int workers) {
        this(target, includes, excludes, workers, false, true);
    }

    public RestoreOptions {
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
    }
}
