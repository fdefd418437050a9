package dev.kiln.core.check;

/**
 * One thing a damaged object takes away: a file of a snapshot (and how many of its bytes), or, for a damaged
 * directory listing, the directory whose contents are lost ({@code bytes} is -1 then).
 */
public record Affected(String snapshot, String path, long bytes) {
    public boolean isDirectory() {
        return bytes < 0;
    }
}
