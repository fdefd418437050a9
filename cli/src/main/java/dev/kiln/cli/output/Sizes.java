package dev.kiln.cli.output;

import java.util.Locale;

/** Byte counts for people: 1.5 GiB. */
public final class Sizes {
    private Sizes() {
    }

    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** One line of store requests and bytes, as object stores bill them. */
    public static String requests(dev.kiln.core.store.wrap.RequestStats.Snapshot r) {
        return String.format(Locale.ROOT, "%d PUT, %d GET, %d LIST, %d DELETE, %d HEAD; %s up, %s down",
                r.put(), r.get(), r.list(), r.delete(), r.head(), human(r.bytesUploaded()), human(r.bytesDownloaded()));
    }

    public static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
