package org.diskless.support.config;

import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;

/**
 * One configuration of a factory PID (a DHCP subnet, a client class, …) as its component hands it
 * to the service that holds them all: checked whole, refused with the key and the reason, and when
 * it replaced a good version, the good one keeps serving. The service may refuse it too (it does
 * not fit beside the others), with a reason of its own. Every line names the configuration's file
 * in the one format of {@link SettingsUpdate}.
 */
public final class FactoryEntry<S> {

    /** Where the checked settings go; returns why they were refused, if they were. */
    @FunctionalInterface
    public interface Table<S> {
        Optional<Refusal> put(String pid, S settings);
    }

    /**
     * Why the table did not take a configuration.
     *
     * @param why          the reason, naming the key and value when one is to blame
     * @param keepsServing what serves meanwhile; empty: the previous version, if there was one
     */
    public record Refusal(String why, Optional<String> keepsServing) {
        public static Refusal of(String why) {
            return new Refusal(why, Optional.empty());
        }
    }

    /** The OSGi service property naming the configuration (org.osgi.framework.Constants.SERVICE_PID). */
    private static final String SERVICE_PID = "service.pid";

    private final String pid;
    private final Logger log;
    private boolean accepted;

    public FactoryEntry(Map<String, ?> properties, Logger log) {
        this.pid = String.valueOf(properties.get(SERVICE_PID));
        this.log = log;
    }

    public String pid() {
        return pid;
    }

    /** The configuration's own name: {@code boot} of {@code org.diskless.dhcp.subnet~boot}. */
    public String name() {
        return pid.contains("~") ? pid.substring(pid.indexOf('~') + 1) : pid.substring(pid.lastIndexOf('.') + 1);
    }

    /**
     * Checks {@code properties} and, when they hold, puts them into {@code table}; an edit taken
     * after the first logs one "updated" line.
     */
    public void apply(Map<String, ?> properties, SettingsParser<S> parser, Table<S> table) {
        String file = SettingsUpdate.fileOf(properties);
        Optional<S> settings = SettingsUpdate.apply(file, properties, parser, log, keepsServing());
        if (settings.isEmpty()) {
            return;
        }
        Optional<Refusal> refusal = table.put(pid, settings.get());
        if (refusal.isPresent()) {
            SettingsUpdate.refused(log, file, refusal.get().why(), refusal.get().keepsServing().orElse(keepsServing()));
            return;
        }
        if (accepted) {
            SettingsUpdate.updated(log, file, settings.get());
        }
        accepted = true;
    }

    private String keepsServing() {
        return accepted ? "the previous version keeps serving" : "it does not serve until it is fixed";
    }
}
