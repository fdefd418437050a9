package dev.kiln.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.compress.Compression;
import dev.kiln.core.crypto.Aead;
import dev.kiln.core.crypto.IntegrityException;
import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.PackId;
import dev.kiln.core.pack.BlobType;
import dev.kiln.core.pack.PackEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexFileTest {
    @Test
    void roundTrips() throws Exception {
        Aead aead = new Aead(new byte[32]);
        Map<PackId, List<PackEntry>> packs = new LinkedHashMap<>();
        packs.put(new PackId(1, 2, 3, 4), List.of(
                new PackEntry(BlobType.DATA, new BlobId(5, 6, 7, 8), 0, 100, 200, Compression.ZSTD),
                new PackEntry(BlobType.DATA, new BlobId(9, 9, 9, 9), 100, 50, 22, Compression.NONE)));
        packs.put(new PackId(-1, -2, -3, -4), List.of(new PackEntry(BlobType.TREE, new BlobId(1, 1, 1, 1), 0, 30, 2, Compression.NONE)));
        IndexFile file = new IndexFile(packs);
        byte[] sealed = file.seal(aead);
        assertThat(IndexFile.open(sealed, aead, "index").packs()).isEqualTo(packs);
        assertThat(file.entryCount()).isEqualTo(3);
        sealed[sealed.length / 2] ^= 1;
        assertThatThrownBy(() -> IndexFile.open(sealed, aead, "index")).isInstanceOf(IntegrityException.class);
    }
}
