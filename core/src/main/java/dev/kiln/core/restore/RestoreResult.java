package dev.kiln.core.restore;

import java.util.List;

/**
 * What a restore did; {@code errors} name the files that could not be restored, or not exactly; {@code warnings}
 * what the target could not hold (extended attributes on a file system without them) and does not fail a restore.
 */
public record RestoreResult(long files, long dirs, long others, long bytes, long packsRead, long bytesDownloaded,
                            long durationMillis, List<String> errors, List<String> warnings) {
    public RestoreResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }
}
