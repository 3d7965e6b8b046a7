package org.diskless.web.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.diskless.api.boot.BootProtocol;
import org.diskless.support.stats.PublishedStatistics;

/**
 * The admin interface's counters for a metrics exporter ({@code diskless_web_…}): the failed logins,
 * the lockouts they led to, the requests refused with 429 while locked out.
 */
final class WebStatistics extends PublishedStatistics {

    static final BootProtocol WEB = BootProtocol.of("WEB");

    WebStatistics(FailedLogins logins) {
        super(WEB, () -> counters(logins), () -> Map.of("login_addresses_remembered", (long) logins.size()));
    }

    private static Map<String, Long> counters(FailedLogins logins) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("logins_failed", logins.failedCount());
        counters.put("login_lockouts", logins.lockoutCount());
        counters.put("logins_refused_locked_out", logins.refusedCount());
        return counters;
    }
}
