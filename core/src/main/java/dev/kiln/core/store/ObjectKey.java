package dev.kiln.core.store;

import java.util.regex.Pattern;

/**
 * The name of one object in a store: its kind and a name made of lower-case hex digits (or {@code config}).
 */
public record ObjectKey(ObjectKind kind, String name) {
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{8,128}");

    public static final ObjectKey CONFIG = new ObjectKey(ObjectKind.CONFIG, "config");

    public ObjectKey {
        if (kind == null || name == null) {
            throw new IllegalArgumentException("kind and name are required");
        }
        if (kind == ObjectKind.CONFIG ? !name.equals("config") : !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + kind + " object name: " + name);
        }
    }

    public static ObjectKey of(ObjectKind kind, String name) {
        return new ObjectKey(kind, name);
    }

    /** A short form for messages, e.g. {@code pack 2159dd48}. */
    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + (name.length() > 8 ? name.substring(0, 8) : name);
    }
}
