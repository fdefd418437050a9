package dev.kiln.core.pack;

/** What a blob holds; the code is its on-disk tag. Data and tree blobs never share a pack. */
public enum BlobType {
    DATA(0),
    TREE(1);

    private final int code;

    BlobType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static BlobType fromCode(int code) {
        return switch (code) {
            case 0 -> DATA;
            case 1 -> TREE;
            default -> throw new IllegalArgumentException("unknown blob type code " + code);
        };
    }
}
