package dev.kiln.core.repo;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The content of a lock object. */
public record LockInfo(
        @JsonProperty("time") String time,
        @JsonProperty("exclusive") boolean exclusive,
        @JsonProperty("hostname") String hostname,
        @JsonProperty("username") String username,
        @JsonProperty("pid") long pid) {
}
