package org.diskless.nodes.command;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.support.log.Printable;

@Service
@Command(scope = "nodes", name = "list", description = "Lists the nodes of the inventory")
public class ListCommand implements Action {

    @Reference
    NodeDirectory directory;

    @Option(name = "--group", aliases = "-g", description = "Only the nodes of this group")
    String group;

    /** The boot files of a node, cut here so that one long kernel command line does not widen every row. */
    private static final int MAX_BOOT_FILES_CHARS = 160;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        Collection<Node> nodes = directory.nodes().stream()
                .filter(n -> group == null || n.group().map(group::equals).orElse(false)).toList();
        if (nodes.isEmpty()) {
            out.println(group == null ? "No nodes. Add one with nodes:add or nodes:import."
                    : "No nodes in group '" + group + "'.");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("MAC");
        table.column("IP");
        table.column("UUID");
        table.column("Arch").alignRight();
        table.column("Group");
        table.column("Boot files");
        for (Node node : nodes) {
            table.addRow().addContent(
                    node.name(),
                    node.hardwareAddress(),
                    node.address().map(a -> a.getHostAddress()).orElse("-"),
                    node.uuid().map(Object::toString).orElse("-"),
                    node.architecture().map(a -> Integer.toString(a.code())).orElse("-"),
                    node.group().orElse("-"),
                    bootFiles(node));
        }
        table.print(out);
        return null;
    }

    /** {@code kernel=vmlinuz; initrd=initrd.gz}, by role; a path or command line is the file's text, escaped. */
    private static String bootFiles(Node node) {
        if (node.bootFiles().isEmpty()) {
            return "-";
        }
        return Printable.of(node.bootFiles().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")), MAX_BOOT_FILES_CHARS);
    }
}
