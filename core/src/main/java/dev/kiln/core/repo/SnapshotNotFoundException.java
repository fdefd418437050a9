package dev.kiln.core.repo;

import java.io.IOException;

/** No snapshot matches what was asked for. */
public final class SnapshotNotFoundException extends IOException {
    public SnapshotNotFoundException(String message) {
        super(message);
    }
}
