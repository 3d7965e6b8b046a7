package org.diskless.nodes.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.diskless.api.nodes.BootRole;
import org.diskless.api.nodes.Node;
import org.diskless.support.bootconf.LineProblem;
import org.diskless.support.bootconf.Parsed;
import org.diskless.support.bootconf.RbootdConf;

/**
 * BSD {@code /etc/rbootd.conf} (read by {@link RbootdConf}, as the RMP server reads it). The file
 * names no host, so nodes are named after their MAC; the boot files, in the order the client is
 * offered them, get the roles {@link BootRole#rmp rmp1, rmp2, …}.
 */
final class RbootdImporter implements NodeImporter {

    @Override
    public ImportResult read(List<String> lines) {
        Parsed<RbootdConf.Entry> parsed = RbootdConf.parse(lines);
        List<ImportResult.Found> nodes = new ArrayList<>();
        List<SkippedLine> skipped = new ArrayList<>();
        for (LineProblem problem : parsed.problems()) {
            skipped.add(new SkippedLine(problem.line(), problem.reason()));
        }
        for (RbootdConf.Entry entry : parsed.entries()) {
            Node.Builder node = Node.builder(ImportSupport.derivedName(entry.address()), entry.address());
            for (int i = 0; i < entry.bootFiles().size(); i++) {
                node.bootFile(BootRole.rmp(i + 1), entry.bootFiles().get(i));
            }
            ImportSupport.add(node.build(), entry.line(), nodes, skipped);
        }
        skipped.sort(Comparator.comparingInt(SkippedLine::line));
        return new ImportResult(nodes, skipped);
    }
}
