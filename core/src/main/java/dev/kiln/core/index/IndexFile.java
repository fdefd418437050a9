package dev.kiln.core.index;

import dev.kiln.core.crypto.Aead;
import dev.kiln.core.crypto.IntegrityException;
import dev.kiln.core.id.PackId;
import dev.kiln.core.pack.PackEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An index file: for each of some packs, the entries of its header (format: docs/repository-format.md §7).
 * Sealed with the metadata key.
 */
public record IndexFile(Map<PackId, List<PackEntry>> packs) {
    static final byte[] MAGIC = {'K', 'L', 'N', 'I'};
    static final int VERSION = 1;
    static final byte[] AAD = "kiln v1 index".getBytes(StandardCharsets.US_ASCII);

    public IndexFile {
        packs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(packs));
    }

    public int entryCount() {
        return packs.values().stream().mapToInt(List::size).sum();
    }

    public byte[] seal(Aead metadata) {
        ByteBuffer out = ByteBuffer.allocate(4 + 1 + 4 + packs.size() * (32 + 4) + entryCount() * PackEntry.ENCODED_SIZE);
        out.put(MAGIC).put((byte) VERSION).putInt(packs.size());
        packs.forEach((pack, entries) -> {
            out.put(pack.toBytes()).putInt(entries.size());
            entries.forEach(e -> e.writeTo(out));
        });
        return metadata.seal(out.array(), AAD);
    }

    public static IndexFile open(byte[] sealed, Aead metadata, String what) throws IntegrityException {
        byte[] plain = metadata.open(sealed, AAD, what);
        try {
            ByteBuffer in = ByteBuffer.wrap(plain);
            byte[] magic = new byte[4];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC) || in.get() != VERSION) {
                throw new IntegrityException(what + ": not a version 1 index file");
            }
            int packCount = in.getInt();
            Map<PackId, List<PackEntry>> packs = new LinkedHashMap<>();
            for (int p = 0; p < packCount; p++) {
                byte[] id = new byte[32];
                in.get(id);
                int n = in.getInt();
                if (n < 0 || (long) n * PackEntry.ENCODED_SIZE > in.remaining()) {
                    throw new IntegrityException(what + ": entry count " + n + " exceeds the file");
                }
                List<PackEntry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    entries.add(PackEntry.readFrom(in));
                }
                packs.put(PackId.fromBytes(id), entries);
            }
            if (in.hasRemaining()) {
                throw new IntegrityException(what + ": " + in.remaining() + " trailing bytes");
            }
            return new IndexFile(packs);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new IntegrityException(what + ": malformed: " + e.getMessage(), e);
        }
    }
}
