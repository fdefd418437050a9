package dev.kiln.core.store;

/** The kinds of objects a repository keeps; each kind is listed separately. */
public enum ObjectKind {
    /** The single repository configuration object, named {@code config}. */
    CONFIG("config"),
    /** Key files: the master key wrapped under a password-derived key. */
    KEY("keys"),
    /** Pack files holding encrypted blobs. */
    PACK("data"),
    /** Encrypted index files. */
    INDEX("index"),
    /** Encrypted snapshots. */
    SNAPSHOT("snapshots"),
    /** Lock objects. */
    LOCK("locks"),
    /** Records of which packs a check read back successfully, and when. */
    VERIFICATION("verified");

    private final String directory;

    ObjectKind(String directory) {
        this.directory = directory;
    }

    /** The directory (or key prefix) under which objects of this kind are kept. */
    public String directory() {
        return directory;
    }
}
