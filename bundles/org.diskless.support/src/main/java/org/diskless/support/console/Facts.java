package org.diskless.support.console;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The few facts a command states before its table (where it listens, its mode), one a line, the
 * values aligned: {@code Listening on  *:69}. A line starts with its label, so a script finds it.
 */
public final class Facts {

    private record Fact(String label, String value) {
    }

    private final List<Fact> facts = new ArrayList<>();

    public Facts add(String label, Object value) {
        facts.add(new Fact(label, String.valueOf(value)));
        return this;
    }

    /** {@code *:69} for a wildcard address, else {@code 192.0.2.1:69}. */
    public static String endpoint(InetSocketAddress address) {
        return (address.getAddress().isAnyLocalAddress() ? "*" : address.getAddress().getHostAddress()) + ":"
                + address.getPort();
    }

    public void print(PrintStream out) {
        int width = facts.stream().mapToInt(f -> f.label().length()).max().orElse(0);
        for (Fact fact : facts) {
            out.println(fact.label() + " ".repeat(width - fact.label().length() + 2) + fact.value());
        }
    }
}
