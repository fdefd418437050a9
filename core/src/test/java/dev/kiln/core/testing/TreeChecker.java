package dev.kiln.core.testing;

import dev.kiln.core.fsname.PathAccess;
import dev.kiln.core.fsname.RawNames;
import dev.kiln.core.fsname.SymbolicLinks;
import dev.kiln.core.xattr.ExtendedAttributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Describes a tree as a restore must reproduce it: per entry (keyed by its name bytes) the type, mode, owner,
 * mtime, content digest, link target, device number, extended attributes, hard-link group and whether it has holes.
 */
public final class TreeChecker {
    private TreeChecker() {
    }

    /** Every entry below {@code dir}, depth first, directories before their contents; paths may exceed PATH_MAX. */
    private static void walk(PathAccess fs, Path dir, List<Path> all) throws IOException {
        List<Path> children = new ArrayList<>();
        try (var s = Files.newDirectoryStream(fs.of(dir))) {
            s.forEach(c -> children.add(dir.resolve(c.getFileName())));
        }
        for (Path c : children) {
            all.add(c);
            if (Files.isDirectory(fs.of(c), LinkOption.NOFOLLOW_LINKS)) {
                walk(fs, c, all);
            }
        }
    }

    public static Map<String, String> describe(Path root) throws Exception {
        try (PathAccess fs = new PathAccess()) {
            return describe(fs, root.toAbsolutePath());
        }
    }

    private static Map<String, String> describe(PathAccess fs, Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        Map<Object, String> inodes = new HashMap<>();
        List<Path> all = new ArrayList<>();
        walk(fs, root, all);
        for (Path real : all) {
            String rel = relativeBytes(root, real);
            Path p = fs.of(real);
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime,size,ino,nlink,rdev", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            StringBuilder d = new StringBuilder(Integer.toOctalString(mode)).append(" owner=").append(a.get("uid")).append(':').append(a.get("gid"));
            int type = mode & 0170000;
            if (type == 0120000) {
                d.append(" -> ").append(HexFormat.of().formatHex(SymbolicLinks.read(p)));
            } else {
                d.append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).toInstant());
            }
            if (type == 0100000) {
                d.append(" size=").append(a.get("size")).append(" sha256=").append(sha256(p));
                long size = (Long) a.get("size");
                d.append(" holes=").append(size > (1 << 20) && allocated(p) < size / 2);
                if (((Number) a.get("nlink")).intValue() > 1) {
                    String first = inodes.putIfAbsent(a.get("ino"), rel);
                    d.append(" linkgroup=").append(first == null ? rel : first);
                }
            }
            if (type == 0020000 || type == 0060000) {
                d.append(" rdev=").append(a.get("rdev"));
            }
            List<String> xattrs = new ArrayList<>();
            for (var x : ExtendedAttributes.read(p)) {
                xattrs.add(x.name() + "=" + HexFormat.of().formatHex(x.value()));
            }
            xattrs.sort(null);
            if (!xattrs.isEmpty()) {
                d.append(" xattrs=").append(xattrs);
            }
            out.put(rel, d.toString());
        }
        return out;
    }

    private static String relativeBytes(Path root, Path p) {
        StringBuilder sb = new StringBuilder();
        Path rel = root.relativize(p);
        Path cur = root;
        for (Path part : rel) {
            cur = cur.resolve(part);
            sb.append('/').append(HexFormat.of().formatHex(RawNames.bytesOf(cur)));
        }
        return sb.toString();
    }

    private static long allocated(Path p) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b", p.toString()).start();
        stat.waitFor();
        return Long.parseLong(new String(stat.getInputStream().readAllBytes()).strip()) * 512;
    }

    private static String sha256(Path p) throws IOException {
        try (var in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
