package dev.kiln.core.store;

/**
 * The name of one object in a store: its kind and a name made of lower-case hex digits (or {@code config}).
 */
public record ObjectKey(ObjectKind kind, String name) {
    public static final ObjectKey CONFIG = new ObjectKey(ObjectKind.CONFIG, "config");

    public ObjectKey {
        if (kind == null || name == null) {
            throw new IllegalArgumentException("kind and name are required");
        }
        if (kind == ObjectKind.CONFIG ? !name.equals("config") : !isHexName(name)) {
            throw new IllegalArgumentException("invalid " + kind + " object name: " + name);
        }
    }

    public static ObjectKey of(ObjectKind kind, String name) {
        return new ObjectKey(kind, name);
    }

    /**
     * Whether {@code name} is a valid name for an object other than the config: 8 to 128 lower-case hex digits.
     * Stores filter their listings with it. (By hand: a regular expression cost more than the listing it checked.)
     */
    public static boolean isHexName(String name) {
        int n = name.length();
        if (n < 8 || n > 128) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    // Written out, as in BlobId: a record's generated equals and hashCode are built at run time.
    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectKey k && kind == k.kind && name.equals(k.name);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + name.hashCode();
    }

    /** A short form for messages, e.g. {@code pack 2159dd48}. */
    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + (name.length() > 8 ? name.substring(0, 8) : name);
    }
}
