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
        for (Compression c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression code " + code);
    }
}
