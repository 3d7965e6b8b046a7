package org.diskless.support.config;

import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;

/**
 * One configuration of a factory PID (a DHCP subnet, a client class, …) as its component hands it
 * to the service that holds them all: checked whole, refused with the key and the reason, and when
 * it replaced a good version, the good one keeps serving. The service may refuse it too (it does
 * not fit beside the others), with a reason of its own.
 */
public final class FactoryEntry<S> {

    /** Where the checked settings go; returns why they were refused, if they were. */
    @FunctionalInterface
    public interface Table<S> {
        Optional<String> put(String pid, S settings);
    }

    /** The OSGi service property naming the configuration (org.osgi.framework.Constants.SERVICE_PID). */
    private static final String SERVICE_PID = "service.pid";

    private final String pid;
    private final String what;
    private final Logger log;
    private boolean accepted;

    /** @param what what the configuration is, for the log: {@code "DHCP subnet configuration"} */
    public FactoryEntry(Map<String, ?> properties, String what, Logger log) {
        this.pid = String.valueOf(properties.get(SERVICE_PID));
        this.what = what;
        this.log = log;
    }

    public String pid() {
        return pid;
    }

    /** The configuration's own name: {@code boot} of {@code org.diskless.dhcp.subnet~boot}. */
    public String name() {
        return pid.contains("~") ? pid.substring(pid.indexOf('~') + 1) : pid.substring(pid.lastIndexOf('.') + 1);
    }

    /** Checks {@code properties} and, when they hold, puts them into {@code table}. */
    public void apply(Map<String, ?> properties, SettingsParser<S> parser, Table<S> table) {
        Optional<S> settings = SettingsUpdate.apply(what + " " + pid, properties, parser, log, keepsServing());
        if (settings.isEmpty()) {
            return;
        }
        Optional<String> refusal = table.put(pid, settings.get());
        if (refusal.isPresent()) {
            log.error("Refused {} {}: {}; {}", what, pid, refusal.get(), keepsServing());
            return;
        }
        accepted = true;
    }

    private String keepsServing() {
        return accepted ? "the previous version keeps serving" : "it does not serve until it is fixed";
    }
}
