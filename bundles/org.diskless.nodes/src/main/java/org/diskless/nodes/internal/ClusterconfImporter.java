package org.diskless.nodes.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.diskless.api.nodes.Node;
import org.diskless.support.bootconf.Clusterconf;
import org.diskless.support.bootconf.LineProblem;
import org.diskless.support.bootconf.Parsed;

/**
 * HP-UX {@code /etc/clusterconf} (read by {@link Clusterconf}, as the RMP server reads it): each
 * client cnode becomes a node of its name and machine ID. The cluster server is not imported: it
 * boots from its own disk.
 */
final class ClusterconfImporter implements NodeImporter {

    @Override
    public ImportResult read(List<String> lines) {
        Parsed<Clusterconf.Cnode> parsed = Clusterconf.parse(lines);
        List<ImportResult.Found> nodes = new ArrayList<>();
        List<SkippedLine> skipped = new ArrayList<>();
        for (LineProblem problem : parsed.problems()) {
            skipped.add(new SkippedLine(problem.line(), problem.reason()));
        }
        for (Clusterconf.Cnode cnode : parsed.entries()) {
            if (cnode.rootServer()) {
                skipped.add(new SkippedLine(cnode.line(), "'" + cnode.name() + "' is the cluster server (type r),"
                        + " which boots from its own disk"));
            } else {
                ImportSupport.add(Node.of(cnode.name(), cnode.machineId()), cnode.line(), nodes, skipped);
            }
        }
        skipped.sort(Comparator.comparingInt(SkippedLine::line));
        return new ImportResult(nodes, skipped);
    }
}
