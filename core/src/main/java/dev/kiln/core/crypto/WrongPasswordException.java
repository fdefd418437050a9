package dev.kiln.core.crypto;

import java.io.IOException;

/** No key file of the repository opens with the given password. */
public final class WrongPasswordException extends IOException {
    public WrongPasswordException(String message) {
        super(message);
    }
}
