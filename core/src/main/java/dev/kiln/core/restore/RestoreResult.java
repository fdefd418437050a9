package dev.kiln.core.restore;

import java.util.List;

/** What a restore did; {@code errors} name the files that could not be restored, or not exactly. */
public record RestoreResult(long files, long dirs, long others, long bytes, long packsRead, long bytesDownloaded,
                            long durationMillis, List<String> errors) {
    public RestoreResult {
        errors = List.copyOf(errors);
    }
}
