package dev.kiln.core.snapshot;

/**
 * What every node records besides its name. {@code mode} holds the permission bits with setuid, setgid and
 * sticky ({@code st_mode & 07777}); {@code user} and {@code group} are names or empty when unknown;
 * ctime, inode and device let a later backup see that a file is unchanged without reading it.
 */
public record Metadata(int mode, int uid, int gid, String user, String group,
                       long mtimeSeconds, int mtimeNanos, long ctimeSeconds, int ctimeNanos,
                       long inode, long device, long links) {
    public Metadata {
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
