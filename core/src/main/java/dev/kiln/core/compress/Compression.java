package dev.kiln.core.compress;

/** How a blob's plaintext is stored; the code is its on-disk tag. */
public enum Compression {
    NONE(0),
    ZSTD(1);

    private final int code;

    Compression(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Compression fromCode(int code) {
        return switch (code) { // (not a loop over values(): that copies the array, once per index entry read)
            case 0 -> NONE;
            case 1 -> ZSTD;
            default -> throw new IllegalArgumentException("unknown compression code " + code);
        };
    }
}
