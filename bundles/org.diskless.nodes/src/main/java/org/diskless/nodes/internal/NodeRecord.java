package org.diskless.nodes.internal;

import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.diskless.api.nodes.Node;

/**
 * A node together with the PID of the configuration it came from and when that configuration was
 * first written (its {@code created} key, which the commands set).
 */
public record NodeRecord(String pid, Node node, Optional<Instant> created) {

    /**
     * Which of two records claiming the same name, MAC or address serves: the one created first; a
     * record without {@code created} (written by hand) after every one with it; then the name, then
     * the PID. It depends on the configurations alone, so a restart settles a conflict the way the
     * live server did.
     */
    public static final Comparator<NodeRecord> PRECEDENCE = Comparator
            .comparing((NodeRecord r) -> r.created().orElse(Instant.MAX))
            .thenComparing(r -> r.node().name().toLowerCase(Locale.ROOT))
            .thenComparing(NodeRecord::pid);

    public NodeRecord {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(created, "created");
    }

    /** Why this record wins over {@code other}, for the line that refuses the other. */
    String precedesBecause(NodeRecord other) {
        if (created.isPresent() && !created.equals(other.created())) {
            return "created earlier (" + created.get() + ")";
        }
        return "first by name (" + created.map(c -> "both created " + c).orElse("neither says when it was created")
                + ")";
    }
}
