package dev.kiln.core.backup;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * Glob patterns: a pattern without '/' matches a file name at any depth; a pattern with '/' matches the whole
 * absolute path (and, as a prefix, everything under it).
 */
public final class ExcludeFilter {
    private final List<PathMatcher> nameMatchers;
    private final List<PathMatcher> pathMatchers;

    public ExcludeFilter(List<String> globs) {
        var fs = FileSystems.getDefault();
        this.nameMatchers = globs.stream().filter(g -> !g.contains("/")).map(g -> fs.getPathMatcher("glob:" + g)).toList();
        this.pathMatchers = globs.stream().filter(g -> g.contains("/"))
                .map(g -> fs.getPathMatcher("glob:" + (g.endsWith("/") ? g.substring(0, g.length() - 1) : g))).toList();
    }

    public boolean isEmpty() {
        return nameMatchers.isEmpty() && pathMatchers.isEmpty();
    }

    /** Whether the absolute path {@code p} (or the entry named {@code p.getFileName()}) matches. */
    public boolean matches(Path p) {
        Path name = p.getFileName();
        if (name != null) {
            for (PathMatcher m : nameMatchers) {
                if (m.matches(name)) {
                    return true;
                }
            }
        }
        for (PathMatcher m : pathMatchers) {
            if (m.matches(p)) {
                return true;
            }
        }
        return false;
    }
}
