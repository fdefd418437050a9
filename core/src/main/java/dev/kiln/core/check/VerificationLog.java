package dev.kiln.core.check;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.core.id.PackId;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.store.ObjectInfo;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When each pack was last read back successfully, kept in the repository (sealed, under {@code verified/}) so
 * that a check on any host counts. Each check merges the records it read with its own into one new record and
 * then removes the ones it merged; a record lost to a race only makes a pack due sooner.
 */
final class VerificationLog {
    static final byte[] AAD = "kiln v1 verification".getBytes(StandardCharsets.US_ASCII);

    record Document(@JsonProperty("version") int version, @JsonProperty("time") String time,
                    @JsonProperty("packs") Map<String, Long> packs) {
    }

    private final Repository repo;
    private final Map<PackId, Instant> lastVerified = new HashMap<>();
    private final List<ObjectKey> read = new ArrayList<>();

    private VerificationLog(Repository repo) {
        this.repo = repo;
    }

    /** Loads every record; damaged ones are skipped (their packs just look unverified). */
    static VerificationLog load(Repository repo) throws IOException {
        VerificationLog log = new VerificationLog(repo);
        for (ObjectInfo info : repo.store().list(ObjectKind.VERIFICATION)) {
            try {
                byte[] sealed = Repository.getContentNamed(repo.store(), info.key());
                Document d = repo.openDocument(sealed, AAD, Document.class, info.key().toString());
                d.packs().forEach((hex, seconds) -> log.record(PackId.parse(hex), Instant.ofEpochSecond(seconds)));
                log.read.add(info.key());
            } catch (IOException | IllegalArgumentException e) {
                // a damaged record only makes its packs due sooner
            }
        }
        return log;
    }

    Instant lastVerified(PackId pack) {
        return lastVerified.getOrDefault(pack, Instant.EPOCH);
    }

    void record(PackId pack, Instant when) {
        lastVerified.merge(pack, when, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Writes the merged record for the packs that still exist, then removes the records it replaces. */
    void save(Set<PackId> existing, Instant now) throws IOException {
        Map<String, Long> packs = new HashMap<>();
        lastVerified.forEach((pack, when) -> {
            if (existing.contains(pack)) {
                packs.put(pack.hex(), when.getEpochSecond());
            }
        });
        byte[] sealed = repo.sealDocument(new Document(1, now.toString(), packs), AAD);
        ObjectKey key = ObjectKey.of(ObjectKind.VERIFICATION, Repository.sha256Hex(sealed));
        repo.store().put(key, sealed);
        repo.store().deleteAll(read.stream().filter(old -> !old.equals(key)).toList());
    }
}
