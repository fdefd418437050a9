package dev.kiln.core.repo;

import java.io.IOException;

/** There is no repository (no config object) at the given location. */
public final class RepositoryNotFoundException extends IOException {
    public RepositoryNotFoundException(String message) {
        super(message);
    }
}
