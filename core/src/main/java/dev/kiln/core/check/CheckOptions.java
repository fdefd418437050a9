package dev.kiln.core.check;

import java.time.Duration;
import java.util.Optional;

/** What a check reads back, and the age within which coverage is reported. */
public record CheckOptions(ReadSelection readData, Optional<Duration> maxAge, int workers) {
    public CheckOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
    }
}
