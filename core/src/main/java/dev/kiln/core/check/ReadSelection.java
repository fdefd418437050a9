package dev.kiln.core.check;

import dev.kiln.core.id.PackId;

/** Which packs a check reads back in full. */
public sealed interface ReadSelection {
    /** Structure only: no pack is downloaded. */
    record None() implements ReadSelection {
    }

    /** Every pack. */
    record All() implements ReadSelection {
    }

    /** Slice {@code n} of {@code m} (1-based): a stable partition of packs by id. */
    record Slice(int n, int m) implements ReadSelection {
        public Slice {
            if (m < 1 || n < 1 || n > m) {
                throw new IllegalArgumentException("subset " + n + "/" + m + ": need 1 <= N <= M");
            }
        }

        boolean contains(PackId id) {
            return Long.remainderUnsigned(id.w0(), m) == n - 1;
        }
    }

    /** About {@code percent} % of packs, stably chosen by id. */
    record Percent(double percent) implements ReadSelection {
        public Percent {
            if (!(percent > 0 && percent <= 100)) {
                throw new IllegalArgumentException("subset " + percent + "%: need 0 < P <= 100");
            }
        }

        boolean contains(PackId id) {
            double position = (id.w0() >>> 11) * 0x1.0p-53; // uniform in [0, 1) by the pack's hash
            return position < percent / 100.0;
        }
    }

    /** The packs verified least recently (never verified first), up to {@code bytes} in total, at least one. */
    record Budget(long bytes) implements ReadSelection {
        public Budget {
            if (bytes <= 0) {
                throw new IllegalArgumentException("budget must be positive");
            }
        }
    }
}
