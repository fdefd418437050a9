package dev.kiln.cli.option;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes ({@code 2GiB}, {@code 500M}, {@code 1024}) and ages ({@code 30d}, {@code 12h}, {@code 90m}). */
public final class Quantities {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(I?B?)");
    private static final Pattern AGE = Pattern.compile("(\\d+)([smhdw])");

    private Quantities() {
    }

    public static long bytes(String text) {
        Matcher m = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (e.g. 2GiB, 500MiB, 1048576)");
        }
        int power = "KMGT".indexOf(m.group(2)) + 1;
        return (long) (Double.parseDouble(m.group(1)) * Math.pow(1024, power));
    }

    public static boolean looksLikeSize(String text) {
        return SIZE.matcher(text.trim().toUpperCase(Locale.ROOT)).matches();
    }

    public static Duration age(String text) {
        Matcher m = AGE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an age: '" + text + "' (e.g. 30d, 12h, 90m, 2w)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }
}
