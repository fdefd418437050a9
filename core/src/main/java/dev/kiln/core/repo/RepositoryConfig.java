package dev.kiln.core.repo;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.core.chunk.ChunkerParams;
import dev.kiln.core.id.HashAlgorithm;

/** The repository's persisted settings (docs/repository-format.md §4). Sealed with the metadata key. */
public record RepositoryConfig(
        @JsonProperty("version") int version,
        @JsonProperty("id") String id,
        @JsonProperty("chunker_min") int chunkerMin,
        @JsonProperty("chunker_avg") int chunkerAvg,
        @JsonProperty("chunker_max") int chunkerMax,
        @JsonProperty("hash") String hash,
        @JsonProperty("compression") String compression,
        @JsonProperty("compression_level") int compressionLevel,
        @JsonProperty("pack_size") int packSize) {

    public static final int FORMAT_VERSION = 1;

    public ChunkerParams chunkerParams() {
        return new ChunkerParams(chunkerMin, chunkerAvg, chunkerMax);
    }

    public HashAlgorithm hashAlgorithm() {
        return HashAlgorithm.parse(hash);
    }
}
