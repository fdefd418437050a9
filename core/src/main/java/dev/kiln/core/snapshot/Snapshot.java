package dev.kiln.core.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A snapshot: the root tree of one backup and what describes it. Stored as JSON, sealed with the metadata key.
 * The root tree lists one node per backed-up path, named by the path's last element; {@code paths} keeps the
 * absolute paths in the same order.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Snapshot(
        @JsonProperty("version") int version,
        @JsonProperty("time") String time,
        @JsonProperty("tree") String tree,
        @JsonProperty("paths") List<String> paths,
        @JsonProperty("hostname") String hostname,
        @JsonProperty("username") String username,
        @JsonProperty("tags") List<String> tags,
        @JsonProperty("parent") String parent,
        @JsonProperty("summary") Summary summary) {

    public Snapshot {
        paths = paths == null ? List.of() : List.copyOf(paths);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** What the backup that made the snapshot did. */
    public record Summary(
            @JsonProperty("files_new") long filesNew,
            @JsonProperty("files_changed") long filesChanged,
            @JsonProperty("files_unchanged") long filesUnchanged,
            @JsonProperty("dirs") long dirs,
            @JsonProperty("bytes_read") long bytesRead,
            @JsonProperty("bytes_total") long bytesTotal,
            @JsonProperty("blobs_added") long blobsAdded,
            @JsonProperty("bytes_added") long bytesAdded,
            @JsonProperty("bytes_stored") long bytesStored,
            @JsonProperty("errors") long errors,
            @JsonProperty("duration_ms") long durationMillis,
            @JsonProperty("incomplete") boolean incomplete) {
    }
}
