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
        check(mode, mtimeNanos, ctimeNanos);
        user = user == null ? "" : user;
        group = group == null ? "" : group;
    }

    /** Throws IllegalArgumentException unless the mode and the nanoseconds are in range. */
    static void check(int mode, int mtimeNanos, int ctimeNanos) {
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " has bits beyond 07777");
        }
        if (mtimeNanos < 0 || mtimeNanos > 999_999_999 || ctimeNanos < 0 || ctimeNanos > 999_999_999) {
            throw new IllegalArgumentException("nanoseconds out of range");
        }
    }

    // Written out, as in BlobId: a backup compares the metadata of every entry with its parent's, from the first
    // directory on, and a record's generated equals is a method-handle chain made at run time.
    @Override
    public boolean equals(Object o) {
        return o instanceof Metadata m && mode == m.mode && uid == m.uid && gid == m.gid
                && mtimeSeconds == m.mtimeSeconds && mtimeNanos == m.mtimeNanos
                && ctimeSeconds == m.ctimeSeconds && ctimeNanos == m.ctimeNanos
                && inode == m.inode && device == m.device && links == m.links
                && user.equals(m.user) && group.equals(m.group) && xattrs.equals(m.xattrs);
    }

    @Override
    public int hashCode() {
        return (int) (mtimeSeconds * 31 + mtimeNanos) * 31 + Long.hashCode(inode);
    }
}
