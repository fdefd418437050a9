package dev.kiln.core.repo;

import java.io.IOException;

/** Another process holds a lock that conflicts with the one asked for. */
public final class RepositoryLockedException extends IOException {
    public RepositoryLockedException(String message) {
        super(message);
    }
}
