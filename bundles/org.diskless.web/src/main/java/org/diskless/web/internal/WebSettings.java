package org.diskless.web.internal;

import java.time.Duration;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.diskless.support.config.SettingsUpdate;

/**
 * {@code etc/org.diskless.web.cfg}, checked: who may log in, and how password guessing is held
 * back. A typo is refused with the key and the reason (see {@link SettingsUpdate}).
 */
record WebSettings(String realm, String role, LoginLimits logins) {

    static final String PID = "org.diskless.web";
    static final String FILE = "etc/" + PID + ".cfg";
    static final int MAX_CLIENTS = 1_000_000;
    private static final long DAY_SECONDS = Duration.ofDays(1).toSeconds();

    static WebSettings defaults() {
        return SettingsUpdate.defaults(WebSettings::parse);
    }

    static WebSettings parse(Config config) throws InvalidSettingException {
        LoginLimits defaults = LoginLimits.DEFAULT;
        int failures = config.integer("login.failures", defaults.failures(), 1, 1000);
        Duration window = config.seconds("login.window", defaults.window(), 1, DAY_SECONDS);
        Duration backoff = config.seconds("login.backoff", defaults.backoff(), 1, DAY_SECONDS);
        Duration maxBackoff = config.seconds("login.backoff.max", defaults.maxBackoff(), 1, DAY_SECONDS);
        if (maxBackoff.compareTo(backoff) < 0) {
            throw new InvalidSettingException("login.backoff.max", maxBackoff.toSeconds(),
                    "must be at least login.backoff (" + backoff.toSeconds() + ")");
        }
        int clients = config.integer("login.clients", defaults.maxClients(), 1, MAX_CLIENTS);
        return new WebSettings(config.text("realm", "karaf"), config.text("role", "admin"),
                new LoginLimits(failures, window, backoff, maxBackoff, clients));
    }

    @Override
    public String toString() {
        return "realm " + realm + ", role " + role + "; " + logins.failures() + " failed logins within "
                + logins.window().toSeconds() + " s lock an address out for " + logins.backoff().toSeconds()
                + " s, doubling up to " + logins.maxBackoff().toSeconds() + " s; " + logins.maxClients()
                + " addresses remembered";
    }
}
