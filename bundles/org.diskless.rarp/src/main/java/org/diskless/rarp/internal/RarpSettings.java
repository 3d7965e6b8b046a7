package org.diskless.rarp.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/**
 * Checked settings of the RARP server ({@code etc/org.diskless.rarp.cfg}), read through the shared
 * {@link Config}: {@link #from} refuses a value with its key and why.
 *
 * @param interfaceName the interface the boot ROMs are on; empty: RARP is idle
 * @param replyInterval the least time between two replies about one machine; zero: no limit
 */
record RarpSettings(Optional<String> interfaceName, Duration replyInterval) {

    static final String PID = "org.diskless.rarp";
    static final int DEFAULT_REPLY_INTERVAL_MILLIS = 1000;

    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");
    private static final int MAX_REPLY_INTERVAL_MILLIS = 60_000;

    static RarpSettings from(Map<String, ?> properties) throws InvalidSettingException {
        return from(Config.of(properties));
    }

    static RarpSettings from(Config config) throws InvalidSettingException {
        Optional<String> interfaceName = config.text("interface");
        if (interfaceName.isPresent() && !INTERFACE_NAME.matcher(interfaceName.get()).matches()) {
            throw new InvalidSettingException("interface", interfaceName.get(),
                    "not a network interface name (as ip link shows, e.g. eth1)");
        }
        return new RarpSettings(interfaceName, Duration.ofMillis(config.integer("replyIntervalMillis",
                DEFAULT_REPLY_INTERVAL_MILLIS, 0, MAX_REPLY_INTERVAL_MILLIS)));
    }

    @Override
    public String toString() {
        return "interface=" + interfaceName.orElse("(none)") + ", replyIntervalMillis=" + replyInterval.toMillis();
    }
}
