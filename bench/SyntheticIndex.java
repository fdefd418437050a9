// Adds synthetic index entries to a kiln repository, to measure kiln against a large index without storing terabytes.
//
//   java -cp cli/target/kiln-cli-*-all.jar bench/SyntheticIndex.java REPO PASSWORD_FILE BLOBS
//
// Writes index files (4,000 packs' worth of entries each, 16 MiB of blobs per pack at ~1,000 blobs per pack) that
// name random blob ids in packs that do not exist. Backups and restores of real data are unaffected (no real blob
// has these ids), but every lookup, the index cache and its Bloom filter see a repository of BLOBS more blobs.
// `kiln check` will report the packs as missing: use a repository made for benchmarking only.
import dev.kiln.core.compress.Compression;
import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.PackId;
import dev.kiln.core.index.IndexFile;
import dev.kiln.core.pack.BlobType;
import dev.kiln.core.pack.PackEntry;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.stores.StoreOptions;
import dev.kiln.stores.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

class SyntheticIndex {
    static final int BLOBS_PER_PACK = 1_000;
    static final int PACKS_PER_FILE = 20;

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SyntheticIndex REPO PASSWORD_FILE BLOBS");
            System.exit(2);
        }
        long blobs = Long.parseLong(args[2]);
        byte[] password = Files.readString(Path.of(args[1])).strip().getBytes();
        SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
        long t0 = System.nanoTime();
        try (var opened = Stores.open(args[0], StoreOptions.defaults());
             Repository repo = Repository.open(opened.store(), password, Clock.systemUTC())) {
            BlobStore store = opened.store();
            long written = 0;
            int files = 0;
            while (written < blobs) {
                Map<PackId, List<PackEntry>> packs = new LinkedHashMap<>();
                for (int p = 0; p < PACKS_PER_FILE && written < blobs; p++) {
                    List<PackEntry> entries = new ArrayList<>(BLOBS_PER_PACK);
                    int offset = 0;
                    for (int b = 0; b < BLOBS_PER_PACK && written < blobs; b++, written++) {
                        int length = 4_000 + random.nextInt(30_000);
                        entries.add(new PackEntry(BlobType.DATA, new BlobId(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()),
                                offset, length, length + 1000, Compression.ZSTD));
                        offset += length;
                    }
                    packs.put(new PackId(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()), entries);
                }
                byte[] sealed = new IndexFile(packs).seal(repo.metadataAead());
                store.put(ObjectKey.of(ObjectKind.INDEX, Repository.sha256Hex(sealed)), sealed);
                files++;
            }
            System.out.printf("%d synthetic blob entries in %d index files, %.1f s%n", written, files, (System.nanoTime() - t0) / 1e9);
        }
    }
}
