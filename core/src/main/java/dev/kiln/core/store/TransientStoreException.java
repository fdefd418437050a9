package dev.kiln.core.store;

import java.io.IOException;

/**
 * A store failure that may go away if the request is repeated: a timeout, a reset connection, a 5xx answer,
 * throttling. Every other {@link IOException} from a store is permanent.
 */
public class TransientStoreException extends IOException {
    public TransientStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public TransientStoreException(String message) {
        super(message);
    }
}
