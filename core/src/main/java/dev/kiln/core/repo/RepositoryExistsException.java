package dev.kiln.core.repo;

import java.io.IOException;

/** {@code init} found a repository already there and left it alone. */
public final class RepositoryExistsException extends IOException {
    public RepositoryExistsException(String message) {
        super(message);
    }
}
