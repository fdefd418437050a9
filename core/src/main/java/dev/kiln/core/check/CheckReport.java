package dev.kiln.core.check;

import java.util.List;

/**
 * What a check did and found. {@code coverage} is the share of pack bytes read back successfully within the
 * maximum age (or -1 when no age was given).
 */
public record CheckReport(int snapshots, long trees, long packs, long packBytes, long packsRead, long bytesRead,
                          double coverage, List<Finding> findings, long durationMillis) {
    public CheckReport {
        findings = List.copyOf(findings);
    }

    public boolean clean() {
        return findings.stream().noneMatch(Finding::isError);
    }
}
