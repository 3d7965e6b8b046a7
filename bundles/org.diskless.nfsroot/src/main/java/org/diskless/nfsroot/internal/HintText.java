package org.diskless.nfsroot.internal;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import org.diskless.api.nodes.Node;
import org.diskless.nfsroot.internal.NfsRootSettings.Mode;
import org.diskless.nfsroot.internal.NodeReport.Directory;
import org.diskless.nfsroot.internal.NodeReport.ExportLine;
import org.diskless.nfsroot.internal.NodeReport.Line;

/** What {@code nfsroot:hints} prints: per node, its root, exports, command lines, warnings and problems. */
final class HintText {

    private static final String INDENT = "  ";
    private static final int LABEL = 12;

    private HintText() {
    }

    /** @param notes what concerns every node (an exports file exportfs stops reading), first */
    static String of(List<String> notes, List<NodeReport> reports, NfsRootSettings settings) {
        StringBuilder text = new StringBuilder();
        notes.forEach(note -> text.append("note: ").append(note).append('\n'));
        for (NodeReport report : reports) {
            if (text.length() > 0) {
                text.append('\n');
            }
            node(text, report, settings);
        }
        return text.toString();
    }

    private static void node(StringBuilder text, NodeReport report, NfsRootSettings settings) {
        Node node = report.node();
        text.append(node.name()).append(" (").append(node.hardwareAddress()).append(", ")
                .append(node.address().map(InetAddress::getHostAddress).orElse("no fixed address"))
                .append(node.group().map(g -> ", group " + g).orElse("")).append("): ")
                .append(boot(report, settings)).append('\n');
        for (Directory directory : report.directories()) {
            row(text, directory.role(), directory.path() + " (" + access(directory, settings) + ")");
        }
        String label = "exports";
        for (String path : report.exports().stream().map(ExportLine::path).distinct().toList()) {
            row(text, label, path + " " + String.join(" ", report.exports().stream().filter(e -> e.path().equals(path))
                    .map(ExportLine::clientText).toList()));
            label = "";
        }
        for (Line line : report.lines()) {
            row(text, line.loader(), line.text().orElse("") + line.note().map(n -> " (" + n + ")").orElse(""));
        }
        report.warnings().forEach(warning -> row(text, "warning", warning));
        report.problems().forEach(problem -> row(text, "problem", problem));
    }

    private static String boot(NodeReport report, NfsRootSettings settings) {
        return switch (report.boot()) {
            case NFS -> "NFS root from this host, " + settings.mode();
            case NFS_ELSEWHERE -> "NFS root from " + report.elsewhere().orElse("another server")
                    + ", whose exports are its own";
            case RAM_DISK -> "RAM-disk root from its initrd";
            case KERNEL_ONLY -> "a kernel with neither an NFS nor a RAM-disk root; to boot it from NFS: nodes:add --boot"
                    + " nfsroot=" + suggestion(report.node(), settings).orElse("<path>");
            case NONE -> "no kernel boot file: not booted through pxelinux or iPXE";
        };
    }

    private static String access(Directory directory, NfsRootSettings settings) {
        if (directory.role().equals("overlay")) {
            return "read-write, this node's: its root's early boot mounts it as <server>:" + settings.overlayPattern()
                    .text().replace("{node}", "$(hostname)") + " and binds its writable directories over the"
                    + " read-only root";
        }
        return directory.writable() ? "read-write, this node's own" : "read-only, shared";
    }

    private static Optional<String> suggestion(Node node, NfsRootSettings settings) {
        return (settings.mode() == Mode.SHARED ? settings.sharedRoot() : settings.rootPattern()).apply(node).path();
    }

    private static void row(StringBuilder text, String label, String value) {
        text.append(INDENT).append(label).append(" ".repeat(Math.max(1, LABEL - label.length()))).append(value)
                .append('\n');
    }
}
