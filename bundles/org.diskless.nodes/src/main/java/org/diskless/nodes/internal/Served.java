package org.diskless.nodes.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;

/**
 * Waits, bounded, until the directory serves nodes a command has just written. Config Admin tells
 * the directory of a new configuration on its own thread, a moment later; without the wait a
 * {@code nodes:list} right after {@code nodes:add} could miss the node.
 */
public final class Served {

    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 20;

    private Served() {
    }

    /**
     * @return the names of {@code nodes} the directory still does not serve after {@code wait}, or
     *         when the user stopped the command (Ctrl-C); empty when it serves them all
     */
    public static List<String> await(NodeDirectory directory, List<Node> nodes, Duration wait) {
        List<String> missing = new ArrayList<>(nodes.stream().map(Node::name).toList());
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            missing.removeIf(name -> directory.byName(name).isPresent());
            if (missing.isEmpty() || System.nanoTime() - deadline >= 0) {
                return missing;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException stopped) { // what was written stays written: only the wait ends
                Thread.currentThread().interrupt();
                return missing;
            }
        }
    }
}
