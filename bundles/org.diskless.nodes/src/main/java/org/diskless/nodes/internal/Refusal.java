package org.diskless.nodes.internal;

/** A node configuration that is not served: which one, which key, and why. */
public record Refusal(String pid, String key, String reason) {

    @Override
    public String toString() {
        return "node configuration " + pid + " refused, key '" + key + "': " + reason;
    }
}
