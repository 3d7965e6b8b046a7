package org.diskless.nfsroot.internal;

import java.util.List;

/**
 * What {@code nfsroot:check} prints: problems only, one a line, those of the whole setup first,
 * then each node's after its name; {@value #NONE} when there are none.
 */
final class CheckText {

    static final String NONE = "No problems.";

    private CheckText() {
    }

    static String of(List<String> general, List<NodeReport> reports) {
        StringBuilder text = new StringBuilder();
        general.forEach(line -> text.append(line).append('\n'));
        for (NodeReport report : reports) {
            report.problems().forEach(problem -> text.append(report.node().name()).append(": ").append(problem)
                    .append('\n'));
        }
        return text.length() == 0 ? NONE + "\n" : text.toString();
    }
}
