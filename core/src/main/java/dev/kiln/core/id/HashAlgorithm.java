package dev.kiln.core.id;

import java.util.Arrays;

/** The hash under the keyed block address, chosen at {@code init} and kept in the repository config. */
public enum HashAlgorithm {
    /** SHA-256 through the JDK (hardware instructions). */
    SHA256(1, "sha256"),
    /** THEX Tiger Tree Hash root: 1024-byte leaves, Tiger(0x00||leaf), Tiger(0x01||left||right). */
    TIGER_TREE(2, "tiger-tree");

    private final int code;
    private final String label;

    HashAlgorithm(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    public static HashAlgorithm parse(String label) {
        return Arrays.stream(values()).filter(h -> h.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown hash algorithm '" + label + "' (sha256, tiger-tree)"));
    }

    /** A new, not thread-safe hasher of this algorithm. */
    public BlockHasher newHasher() {
        return switch (this) {
            case SHA256 -> new Sha256BlockHasher();
            case TIGER_TREE -> new TigerTreeHasher();
        };
    }
}
