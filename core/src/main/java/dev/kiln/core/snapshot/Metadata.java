package dev.kiln.core.snapshot;

/**
 * What every node records besides its name. {@code mode} holds the permission bits with setuid, setgid and
 * sticky ({@code st_mode & 07777}); {@code user} and {@code group} are names or empty when unknown;
 * ctime, inode and device let a later backup see that a file is unchanged without reading it; {@code xattrs}
 * are the extended attributes (all namespaces, ACLs included), sorted by name.
 */
public record Metadata(int mode, int uid, int gid, String user, String group,
                       long mtimeSeconds, int mtimeNanos, long ctimeSeconds, int ctimeNanos,
                       long inode, long device, long links, java.util.List<dev.kiln.core.xattr.ExtendedAttributes.Xattr> xattrs) {
    public Metadata(int mode, int uid, int gid, String user, String group, long mtimeSeconds, int mtimeNanos,
                    long ctimeSeconds, int ctimeNanos, long inode, long device, long links) {
        this(mode, uid, gid, user, group, mtimeSeconds, mtimeNanos, ctimeSeconds, ctimeNanos, inode, device, links, java.util.List.of());
    }

    public Metadata {
        xattrs = java.util.List.copyOf(xattrs);
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " has bits beyond 07777");
        }
        if (mtimeNanos < 0 || mtimeNanos > 999_999_999 || ctimeNanos < 0 || ctimeNanos > 999_999_999) {
            throw new IllegalArgumentException("nanoseconds out of range");
        }
        user = user == null ? "" : user;
        group = group == null ? "" : group;
    }
}
