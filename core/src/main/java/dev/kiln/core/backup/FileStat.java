package dev.kiln.core.backup;

import dev.kiln.core.snapshot.Metadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One lstat(2) of a path, through the JDK's "unix" attribute view, and the metadata a node records of it. */
record FileStat(int type, int mode, int uid, int gid, long size, Instant mtime, Instant ctime,
                long inode, long device, long rdev, long links) {
    static final int S_IFMT = 0170000, S_IFREG = 0100000, S_IFDIR = 0040000, S_IFLNK = 0120000,
            S_IFIFO = 0010000, S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFSOCK = 0140000;
    private static final String ATTRIBUTES = "unix:mode,ino,dev,rdev,nlink,uid,gid,ctime,size,lastModifiedTime";

    static FileStat of(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        return new FileStat(mode & S_IFMT, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"),
                (Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).toInstant(),
                ((FileTime) a.get("ctime")).toInstant(), (Long) a.get("ino"), (Long) a.get("dev"),
                (Long) a.get("rdev"), ((Number) a.get("nlink")).longValue());
    }

    /**
     * The node metadata; {@code access} reaches {@code p} (see PathAccess), {@code p} names it in warnings.
     * When {@code previous} (the parent snapshot's entry) has the same inode, device and
     * ctime, its extended attributes are taken as they are: changing an attribute changes the ctime, so they
     * cannot differ, and a no-change backup saves one listxattr per entry.
     */
    Metadata metadata(Names names, Path p, Path access, java.util.function.Consumer<String> warn, Metadata previous) {
        var xattrs = new java.util.ArrayList<dev.kiln.core.xattr.ExtendedAttributes.Xattr>();
        if (previous != null && previous.inode() == inode && previous.device() == device
                && previous.ctimeSeconds() == ctime.getEpochSecond() && previous.ctimeNanos() == ctime.getNano()) {
            xattrs.addAll(previous.xattrs());
        } else {
            try {
                xattrs.addAll(dev.kiln.core.xattr.ExtendedAttributes.read(access));
            } catch (IOException e) {
                warn.accept("cannot read extended attributes of " + p + ": " + e.getMessage());
            }
        }
        xattrs.sort(java.util.Comparator.comparing(dev.kiln.core.xattr.ExtendedAttributes.Xattr::name));
        return new Metadata(mode, uid, gid, names.user(uid, access), names.group(gid, access),
                mtime.getEpochSecond(), mtime.getNano(), ctime.getEpochSecond(), ctime.getNano(), inode, device, links, xattrs);
    }

    /** User and group names by id, looked up once per id. */
    static final class Names {
        private final Map<Integer, String> users = new ConcurrentHashMap<>();
        private final Map<Integer, String> groups = new ConcurrentHashMap<>();

        String user(int uid, Path p) {
            return users.computeIfAbsent(uid, u -> lookup(p, "unix:owner"));
        }

        String group(int gid, Path p) {
            return groups.computeIfAbsent(gid, g -> lookup(p, "unix:group"));
        }

        private static String lookup(Path p, String attribute) {
            try {
                String name = ((java.security.Principal) Files.getAttribute(p, attribute, LinkOption.NOFOLLOW_LINKS)).getName();
                return name.chars().allMatch(Character::isDigit) ? "" : name; // the JDK gives the number when there is no name
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }
}
