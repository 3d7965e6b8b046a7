package org.diskless.nodes.command;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.nodes.internal.NodeConfigurations;
import org.diskless.nodes.internal.Served;
import org.diskless.nodes.internal.TakenValues;
import org.diskless.nodes.internal.ImportFormat;
import org.diskless.nodes.internal.ImportResult;
import org.diskless.nodes.internal.NodeRecordParser;
import org.diskless.nodes.internal.SkippedLine;
import org.diskless.support.log.Printable;
import org.osgi.service.cm.ConfigurationAdmin;

@Service
@Command(scope = "nodes", name = "import", description = "Imports nodes from an existing boot-server file:"
        + " dhcpd (dhcpd.conf hosts), dnsmasq (dhcp-host= lines), ethers (/etc/ethers),"
        + " clusterconf (HP-UX /etc/clusterconf), rbootd (/etc/rbootd.conf)")
public class ImportCommand implements Action {

    @Reference
    ConfigurationAdmin configurationAdmin;

    @Reference
    NodeDirectory directory;

    @Argument(index = 0, name = "format", required = true,
            description = "dhcpd, dnsmasq, ethers, clusterconf or rbootd")
    @Completion(value = StringsCompleter.class, values = {"dhcpd", "dnsmasq", "ethers", "clusterconf", "rbootd"})
    String format;

    @Argument(index = 1, name = "file", required = true, description = "The file to read")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--dry-run", aliases = "-n", description = "Show what would be imported; write nothing")
    boolean dryRun;

    /** A skipped line quotes the file, which may hold anything: escaped and cut to this. */
    private static final int MAX_LINE_CHARS = 300;

    PrintStream out = System.out;
    Path etc = NodeConfigurations.karafEtc();
    Clock clock = Clock.systemUTC();
    Duration servedWithin = Served.DEFAULT_WAIT;

    @Override
    public Object execute() throws IOException, CommandException {
        ImportFormat importFormat = ImportFormat.byName(format).orElseThrow(() -> new CommandException(
                "Unknown format '" + format + "'; use one of " + Arrays.stream(ImportFormat.values())
                        .map(ImportFormat::formatName).collect(Collectors.joining(", "))));
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw new CommandException("Cannot read " + path.toAbsolutePath()
                    + ": no such file or not readable");
        }
        // Old host files predate UTF-8; ISO-8859-1 reads any byte and their names are ASCII anyway.
        ImportResult result = importFormat.importer().read(Files.readAllLines(path, StandardCharsets.ISO_8859_1));

        NodeConfigurations configurations = new NodeConfigurations(configurationAdmin, etc);
        TakenValues taken = TakenValues.of(configurations.all());
        List<Node> imported = new ArrayList<>();
        List<String> notImported = new ArrayList<>();
        for (ImportResult.Found found : result.found()) {
            Node node = found.node();
            Optional<String> clash = taken.clash(node).or(() -> configurations.fileClash(node))
                    .map(TakenValues.Clash::message);
            if (clash.isPresent()) {
                notImported.add("line " + found.line() + ": " + node.name() + " " + node.hardwareAddress() + ": "
                        + clash.get());
                continue;
            }
            imported.add(node);
            taken.add(node, "on line " + found.line() + " of this file");
        }
        List<String> notServed = List.of();
        if (!dryRun) {
            configurations.create(imported, clock.instant());
            notServed = Served.await(directory, imported, servedWithin);
        }

        out.println((dryRun ? "Would import " : "Imported ") + imported.size() + " node(s) from " + path
                + " (" + importFormat.description() + ")" + (imported.isEmpty() ? "." : ":"));
        for (Node node : imported) {
            out.println("  " + node.name() + " " + node.hardwareAddress()
                    + node.address().map(a -> " " + a.getHostAddress()).orElse("")
                    + (node.bootFiles().isEmpty() ? "" : " " + NodeRecordParser.bootFilesText(node.bootFiles())));
        }
        if (!notImported.isEmpty()) {
            out.println("Not imported, taken already (" + notImported.size() + "):");
            notImported.forEach(line -> out.println("  " + line));
        }
        if (!result.skipped().isEmpty()) {
            out.println("Skipped lines (" + result.skipped().size() + "):");
            for (SkippedLine skipped : result.skipped()) {
                out.println("  " + Printable.of(skipped.toString(), MAX_LINE_CHARS)); // the file's text, escaped
            }
        }
        if (!notServed.isEmpty()) {
            out.println("The inventory does not serve " + notServed.size() + " of them yet (" + servedWithin.toSeconds()
                    + " s): nodes:list shows when it does; karaf.log says why it would not.");
        }
        return null;
    }
}
