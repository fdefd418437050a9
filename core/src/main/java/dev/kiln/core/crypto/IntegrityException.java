package dev.kiln.core.crypto;

import java.io.IOException;

/** Stored bytes failed authentication or a hash check: the object is damaged or forged. */
public class IntegrityException extends IOException {
    public IntegrityException(String message) {
        super(message);
    }

    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
