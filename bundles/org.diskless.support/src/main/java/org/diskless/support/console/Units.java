package org.diskless.support.console;

import java.time.Duration;
import java.util.Locale;

/**
 * How every command shows sizes, rates and times. A count of bytes is shown raw where a script may
 * read it and, once beside it, in binary units where a person reads it ({@link #bytesWithUnits}).
 */
public final class Units {

    private static final String[] PREFIXES = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {
    }

    /** {@code 435 B}, {@code 1.5 KiB}, {@code 3.0 MiB}: one decimal from a KiB up. */
    public static String bytes(double value) {
        int unit = 0;
        while (value >= 1024 && unit < PREFIXES.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, unit == 0 ? "%.0f %s" : "%.1f %s", value, PREFIXES[unit]);
    }

    /**
     * {@code 435 B}, or {@code 3145728 B (3.0 MiB)}: the exact count always, the rounded one only
     * where it says something the count does not.
     */
    public static String bytesWithUnits(long value) {
        return value < 1024 ? value + " B" : value + " B (" + bytes(value) + ")";
    }

    public static String rate(double bytesPerSecond) {
        return bytes(bytesPerSecond) + "/s";
    }

    /** An age or a wait: {@code 0.4s}, {@code 59.9s}, {@code 2m05s}, {@code 3h07m}, {@code 2d04h}. */
    public static String duration(Duration duration) {
        if (duration.isNegative()) {
            duration = Duration.ZERO;
        }
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 24 * 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", seconds / (24 * 3600), seconds / 3600 % 24);
    }

    /** {@code 50%} of {@code total}, or {@code -} when the total is not known. */
    public static String percent(long done, long total) {
        return total <= 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100.0 * done / total);
    }

    /** {@code 1 entry}, {@code 2 entries}. */
    public static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
