package dev.kiln.core.crypto;

/**
 * The working keys of an open repository, all derived from the master key by HKDF-SHA-256 (salt
 * {@code "kiln v1"}, info = a label). Labels are part of the format (docs/repository-format.md §3).
 */
public final class KeyRing {
    public static final String BLOB_LABEL = "kiln v1 blob encryption";
    public static final String META_LABEL = "kiln v1 metadata encryption";
    public static final String ID_LABEL = "kiln v1 blob id";
    public static final String GEAR_LABEL = "kiln v1 chunker gear";

    private final Aead blobs;
    private final Aead metadata;
    private final byte[] idKey;
    private final byte[] gearSeed;

    public static final byte[] SALT = "kiln v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public KeyRing(MasterKey master) {
        this.blobs = new Aead(master.derive(SALT, BLOB_LABEL, 32));
        this.metadata = new Aead(master.derive(SALT, META_LABEL, 32));
        this.idKey = master.derive(SALT, ID_LABEL, 32);
        this.gearSeed = master.derive(SALT, GEAR_LABEL, 2048);
    }

    /** Seals blobs inside packs. */
    public Aead blobs() {
        return blobs;
    }

    /** Seals everything else: pack headers, index files, snapshots, config, locks. */
    public Aead metadata() {
        return metadata;
    }

    public byte[] idKey() {
        return idKey.clone();
    }

    /** 2048 bytes from which the chunker's gear table is made (256 big-endian 64-bit words). */
    public byte[] gearSeed() {
        return gearSeed.clone();
    }
}
