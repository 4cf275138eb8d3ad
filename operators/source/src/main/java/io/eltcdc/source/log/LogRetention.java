package io.eltcdc.source.log;

import java.io.Serializable;
import java.util.Locale;

/**
 * How much change log the source server may keep for the pipeline ({@code source.max-log-retention})
 * and what happens at the limit ({@code source.on-log-retention-limit}): the pipeline gives up before
 * the server's disk fills or the server invalidates the log itself.
 *
 * @param maxBytes the limit in bytes; 0 for none
 * @param dropAtLimit whether, at the limit, the pipeline drops what holds the log on the server (its
 *     replication slot) before it stops, so the server frees it at once and the pipeline needs a
 *     re-sync ({@code drop-slot}); otherwise it only stops ({@code stop}, the default)
 */
public record LogRetention(long maxBytes, boolean dropAtLimit) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** No limit: the retained log is only measured. */
    public static final LogRetention UNLIMITED = new LogRetention(0, false);

    /** The share of the limit at which one warning is logged. */
    public static final int WARN_PERCENT = 80;

    public static final String MAX_KEY = "source.max-log-retention";
    public static final String ON_LIMIT_KEY = "source.on-log-retention-limit";
    public static final String STOP = "stop";
    public static final String DROP_SLOT = "drop-slot";

    public LogRetention {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes < 0: " + maxBytes);
        }
    }

    public boolean limited() {
        return maxBytes > 0;
    }

    /** {@code retained} as a whole percentage of the limit; -1 without a limit or while unknown. */
    public long percentOf(long retained) {
        if (!limited() || retained < 0) {
            return -1;
        }
        return (long) Math.floor(retained * 100.0 / maxBytes);
    }

    /** A size for people: {@code 512 kB}, {@code 41.9 MB}, {@code 50.0 GB} (powers of 1024, as the key's units). */
    public static String describe(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    @Override
    public String toString() {
        return limited() ? describe(maxBytes) + ", then " + (dropAtLimit ? DROP_SLOT : STOP) : "unlimited";
    }
}
