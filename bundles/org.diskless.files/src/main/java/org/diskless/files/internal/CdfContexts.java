package org.diskless.files.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.diskless.api.boot.BootContext;
import org.diskless.api.nodes.Node;

/**
 * The HP-UX context of a client, in the order a context-dependent file ({@code name+/}) is searched:
 * its cnode name, its root context, its hardware contexts best first, then {@code default}.
 *
 * <p>The root context is always {@code remoteroot}. On an HP-UX cluster {@code localroot} is the
 * context of the cnode that boots from its own disk — the root server itself — and
 * {@code remoteroot} that of every cnode whose root file system lives on the server. Whoever asks
 * us for a file over the network (TFTP, MTFTP, RMP) is by definition booting from the server, so it
 * sees the server's tree as its remote root; the server's own {@code localroot} elements are never
 * what a client should get.
 */
final class CdfContexts {

    static final String REMOTE_ROOT = "remoteroot";
    static final String DEFAULT = "default";

    private CdfContexts() {
    }

    /** The element names to try for this client, best first; unknown clients get the generic ones. */
    static List<String> of(BootContext context) {
        Set<String> order = new LinkedHashSet<>();
        context.node().map(Node::name).filter(CdfContexts::usableElementName).ifPresent(order::add);
        order.add(REMOTE_ROOT);
        context.node().ifPresent(node -> node.hardwareContexts().stream()
                .filter(CdfContexts::usableElementName)
                .forEach(order::add));
        order.add(DEFAULT);
        return List.copyOf(new ArrayList<>(order));
    }

    /**
     * A context name becomes one path segment inside the CDF: one that could climb out or name
     * something else ({@code ..}, a slash, a control character) is never used.
     */
    static boolean usableElementName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) {
            return false;
        }
        return name.chars().noneMatch(c -> c == '/' || c == '\\' || c < 0x20 || c == 0x7f);
    }
}
