package org.diskless.nfsroot.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.diskless.nfsroot.internal.NodeReport.Boot;
import org.diskless.nfsroot.internal.NodeReport.ExportLine;

/**
 * What {@code nfsroot:exports} prints: an exports file for every NFS root served from this host,
 * ready to paste. One line per path, its clients one per continued line, after a comment naming
 * the nodes that mount it; the nodes it cannot name, and why, at the end.
 */
final class ExportsText {

    private static final int NAMES_SHOWN = 8;

    private ExportsText() {
    }

    static String of(List<NodeReport> reports, NfsRootSettings settings) {
        Map<String, Set<String>> nodesByPath = new LinkedHashMap<>();
        Map<String, Set<String>> clientsByPath = new LinkedHashMap<>();
        List<String> left = new ArrayList<>();
        for (NodeReport report : reports) {
            if (report.boot() == Boot.NFS_ELSEWHERE) {
                left.add(report.node().name() + " mounts its root from " + report.elsewhere().orElse("another server")
                        + ": export it there");
            } else if (report.boot() == Boot.NFS && report.exports().isEmpty()) {
                left.add(report.node().name() + " has no exports line here: see nfsroot:check");
            }
            for (ExportLine line : report.exports()) {
                nodesByPath.computeIfAbsent(line.path(), p -> new LinkedHashSet<>()).add(report.node().name());
                clientsByPath.computeIfAbsent(line.path(), p -> new LinkedHashSet<>()).add(line.clientText());
            }
        }
        StringBuilder text = new StringBuilder("# NFS roots of the Diskless nodes (mode ").append(settings.mode())
                .append("), for /etc/exports; written by nfsroot:exports\n");
        if (clientsByPath.isEmpty()) {
            text.append("# No node boots from an NFS root on this host (boot file nfsroot).\n");
        }
        clientsByPath.forEach((path, clients) -> {
            text.append("# ").append(names(nodesByPath.get(path))).append('\n').append(path);
            if (clients.size() == 1) {
                text.append(' ').append(clients.iterator().next()).append('\n');
            } else {
                clients.forEach(client -> text.append(" \\\n    ").append(client));
                text.append('\n');
            }
        });
        left.forEach(line -> text.append("# ").append(line).append('\n'));
        return text.toString();
    }

    private static String names(Set<String> names) {
        List<String> all = List.copyOf(names);
        if (all.size() <= NAMES_SHOWN) {
            return String.join(", ", all);
        }
        return String.join(", ", all.subList(0, NAMES_SHOWN)) + " and " + (all.size() - NAMES_SHOWN) + " more";
    }
}
