package org.diskless.nodes.internal;

import java.util.Map;

import org.diskless.support.config.SettingsUpdate;

/** A node configuration that is not served: which one, which key, and why. */
public record Refusal(String pid, String key, String reason) {

    @Override
    public String toString() {
        return SettingsUpdate.refusal(fileOf(pid), "'" + key + "': " + reason,
                "this node is not served until it is fixed");
    }

    /** The file of node configuration {@code pid}, as the operator knows it. */
    static String fileOf(String pid) {
        return SettingsUpdate.fileOf(Map.of("service.pid", pid, "service.factoryPid", NodeConfiguration.FACTORY_PID));
    }
}
