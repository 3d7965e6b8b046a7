package org.diskless.tftp.command;

import java.util.Locale;

/** Human-readable sizes for the shell. */
final class Units {

    private static final String[] PREFIXES = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Units() {
    }

    static String bytes(double value) {
        int unit = 0;
        while (value >= 1024 && unit < PREFIXES.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, unit == 0 ? "%.0f %s" : "%.1f %s", value, PREFIXES[unit]);
    }

    static String rate(double bytesPerSecond) {
        return bytes(bytesPerSecond) + "/s";
    }
}
