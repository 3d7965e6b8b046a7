package org.diskless.nodes.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.karaf.shell.support.CommandException;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.nodes.FakeConfigurationAdmin;
import org.diskless.nodes.FileInstallSimulation;
import org.diskless.nodes.internal.NodeConfiguration;
import org.diskless.nodes.internal.NodeDirectoryComponent;
import org.diskless.nodes.internal.NodeFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {

    private final FakeConfigurationAdmin configurationAdmin = new FakeConfigurationAdmin();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    /** What the directory serves: the configurations as they are now, as if Config Admin had told it at once. */
    private final NodeDirectory directory = directory((method, args) -> method.invoke(
            new NodeDirectoryComponent(configurationAdmin.service()), args));

    private interface Call {
        Object answer(Method method, Object[] args) throws Exception;
    }

    /** A directory that answers every question with {@code call}. */
    private static NodeDirectory directory(Call call) {
        return (NodeDirectory) Proxy.newProxyInstance(CommandsTest.class.getClassLoader(),
                new Class<?>[] {NodeDirectory.class}, (proxy, method, args) -> call.answer(method, args));
    }

    @TempDir
    Path dir;

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private AddCommand add(String name, String mac) {
        AddCommand command = new AddCommand();
        command.configurationAdmin = configurationAdmin.service();
        command.name = name;
        command.mac = mac;
        command.out = out;
        command.etc = dir;
        command.directory = directory;
        return command;
    }

    private RemoveCommand remove(String name) {
        RemoveCommand command = new RemoveCommand();
        command.configurationAdmin = configurationAdmin.service();
        command.name = name;
        command.out = out;
        command.etc = dir;
        return command;
    }

    private ImportCommand importer(String format, Path file, boolean dryRun) {
        ImportCommand command = new ImportCommand();
        command.configurationAdmin = configurationAdmin.service();
        command.format = format;
        command.file = file.toString();
        command.dryRun = dryRun;
        command.out = out;
        command.etc = dir;
        command.directory = directory;
        return command;
    }

    @Test
    void addWritesOneFactoryConfigurationWithEveryOption() throws Exception {
        AddCommand command = add("pc01", "52-54-00-AA-00-01");
        command.address = "192.168.10.11";
        command.uuid = "4c4c4544-0042-3510-8052-b4c04f4b4d31";
        command.architecture = 7;
        command.group = "lab";
        command.bootFiles = List.of("kernel=vmlinuz", "initrd=initrd.gz");
        command.clock = Clock.fixed(Instant.parse("2026-12-07T10:15:30.123456Z"), ZoneOffset.UTC);
        command.execute();
        Map<String, Object> stored = configurationAdmin.contents().values().iterator().next();
        assertEquals("2026-12-07T10:15:30.123Z", stored.get("created"), "when it was created decides a conflict");
        assertEquals("pc01", stored.get("name"));
        assertEquals("52:54:00:aa:00:01", stored.get("mac"));
        assertEquals("192.168.10.11", stored.get("address"));
        assertEquals(7, stored.get("architecture"));
        assertArrayEquals(new String[] {"initrd=initrd.gz", "kernel=vmlinuz"}, (String[]) stored.get("bootFiles"));
        assertEquals(NodeConfiguration.FACTORY_PID + "~pc01", configurationAdmin.contents().keySet().iterator().next());
        assertTrue(printed().contains("Added node pc01 52:54:00:aa:00:01"), printed());
    }

    @Test
    void addWritesTheNodeFileInEtcThatFileInstallReadsBackAsTheSameConfiguration() throws Exception {
        AddCommand command = add("pc01", "52:54:00:aa:00:01");
        command.address = "192.168.10.11";
        command.architecture = 7;
        command.group = "rack \"one\" # first";
        command.contexts = List.of("HP-MC68020", "HP-MC68010");
        command.bootFiles = List.of("kernel=vmlinuz", "append=console=ttyS0,115200 quiet");
        command.execute();

        Path file = dir.resolve("org.diskless.node-pc01.cfg");
        Map<String, Object> configuration = configurationAdmin.contents().get(NodeConfiguration.FACTORY_PID + "~pc01");
        assertEquals(NodeFiles.fileInstallKey(file), configuration.get(NodeFiles.FILEINSTALL_FILENAME));
        assertEquals(comparable(nodeKeys(configuration)), comparable(FileInstallSimulation.read(file)),
                "FileInstall finds nothing to change, so it applies nothing");
        assertEquals(List.of("append=console=ttyS0,115200 quiet", "kernel=vmlinuz"),
                comparable(FileInstallSimulation.read(file)).get("bootFiles"), "a list keeps the comma of a value");

        FileInstallSimulation.writeBack(file, configuration);
        assertEquals(comparable(nodeKeys(configuration)), comparable(FileInstallSimulation.read(file)),
                "FileInstall's write-back of an update loses nothing");
        assertTrue(printed().contains(file.toString()), printed());
    }

    @Test
    void addRefusesANameWhoseFileIsAlreadyInEtc() throws Exception {
        Files.writeString(dir.resolve("org.diskless.node-pc01.cfg"), "name = \"pc01\"\n");
        CommandException e = assertThrows(CommandException.class,
                () -> add("pc01", "52:54:00:aa:00:01").execute());
        assertTrue(e.getMessage().contains("org.diskless.node-pc01.cfg already exists"), e.getMessage());
        assertEquals(0, configurationAdmin.contents().size());
        assertEquals("name = \"pc01\"\n", Files.readString(dir.resolve("org.diskless.node-pc01.cfg")));
    }

    @Test
    void theInventorySurvivesAWipeOfDataFromItsFilesInEtc() throws Exception {
        AddCommand pc01 = add("pc01", "52:54:00:aa:00:01");
        pc01.address = "192.168.10.11";
        pc01.architecture = 0;
        pc01.bootFiles = List.of("kernel=vmlinuz", "initrd=initrd.gz");
        pc01.execute();
        Path ethers = dir.resolve("ethers");
        Files.writeString(ethers, "08:00:20:0a:0b:0c   sun2\n08:00:20:0a:0b:0d   192.168.10.13\n");
        importer("ethers", ethers, false).execute();
        List<Node> before = List.copyOf(new NodeDirectoryComponent(configurationAdmin.service()).nodes());

        FakeConfigurationAdmin afterWipe = FileInstallSimulation.startFrom(dir);

        assertEquals(3, before.size());
        assertEquals(before, List.copyOf(new NodeDirectoryComponent(afterWipe.service()).nodes()));
    }

    @Test
    void removeDeletesTheNodeFileToo() throws Exception {
        add("pc01", "52:54:00:aa:00:01").execute();
        RemoveCommand remove = remove("pc01");
        remove.execute();
        assertFalse(Files.exists(dir.resolve("org.diskless.node-pc01.cfg")));
        assertEquals(Map.of(), configurationAdmin.contents());
        assertTrue(printed().contains("Removed node pc01 (configuration org.diskless.node~pc01, "
                + dir.resolve("org.diskless.node-pc01.cfg")), printed());
    }

    /** Node keys only, without the ones Config Admin and FileInstall add. */
    private static Map<String, Object> nodeKeys(Map<String, Object> configuration) {
        Map<String, Object> keys = new TreeMap<>(configuration);
        keys.remove(NodeFiles.FILEINSTALL_FILENAME);
        keys.keySet().removeIf(k -> k.startsWith("service."));
        return keys;
    }

    /** Arrays as lists, so that maps compare by content. */
    private static Map<String, Object> comparable(Map<String, Object> properties) {
        Map<String, Object> map = new TreeMap<>();
        properties.forEach((k, v) -> map.put(k, v instanceof Object[] array ? Arrays.asList(array) : v));
        return map;
    }

    @Test
    void addRefusesADuplicateNameOrMacSayingWhichNodeHasIt() throws Exception {
        add("pc01", "52:54:00:aa:00:01").execute();
        CommandException name = assertThrows(CommandException.class,
                () -> add("PC01", "52:54:00:aa:00:02").execute());
        assertEquals("Node 'PC01' not added: a node named 'pc01' is already in the inventory ("
                + dir.resolve("org.diskless.node-pc01.cfg") + "). Remove that one first (nodes:remove) or choose another"
                + " value.", name.getMessage());
        CommandException mac = assertThrows(CommandException.class,
                () -> add("pc02", "52:54:00:AA:00:01").execute());
        assertTrue(mac.getMessage().contains("already belongs to node 'pc01'"), mac.getMessage());
        assertEquals(1, configurationAdmin.contents().size());
    }

    @Test
    void addRefusesABadValueNamingTheKey() {
        AddCommand command = add("pc01", "52:54:00:aa:00:01");
        command.address = "pc01.example.org";
        CommandException e = assertThrows(CommandException.class, command::execute);
        assertTrue(e.getMessage().contains("'address = pc01.example.org'"), e.getMessage());
        assertEquals(0, configurationAdmin.contents().size());
    }

    @Test
    void removeDeletesTheConfigurationOfThatName() throws Exception {
        add("pc01", "52:54:00:aa:00:01").execute();
        add("pc02", "52:54:00:aa:00:02").execute();
        RemoveCommand remove = remove("pc01");
        remove.execute();
        assertEquals(List.of("pc02"), configurationAdmin.contents().values().stream().map(m -> m.get("name")).toList());
        remove.name = "pc09";
        CommandException e = assertThrows(CommandException.class, remove::execute);
        assertTrue(e.getMessage().contains("No node named 'pc09'"), e.getMessage());
    }

    @Test
    void listShowsEachNodeWithItsBootFiles() throws Exception {
        AddCommand command = add("pc01", "52:54:00:aa:00:01");
        command.address = "192.168.10.11";
        command.architecture = 7;
        command.group = "lab";
        command.bootFiles = List.of("kernel=vmlinuz", "initrd=initrd.gz", "append=console=ttyS0,115200");
        command.execute();
        add("pc02", "52:54:00:aa:00:02").execute();
        printed.reset();
        ListCommand list = new ListCommand();
        list.directory = new NodeDirectoryComponent(configurationAdmin.service());
        list.out = out;
        list.execute();
        assertEquals("""
                Name | MAC               | IP            | UUID | Arch | Group | Boot files
                -----+-------------------+---------------+------+------+-------+--------------------------------------------------------------
                pc01 | 52:54:00:aa:00:01 | 192.168.10.11 | -    |    7 | lab   | append=console=ttyS0,115200; initrd=initrd.gz; kernel=vmlinuz
                pc02 | 52:54:00:aa:00:02 | -             | -    |    - | -     | -
                """, printed().replaceAll(" +\n", "\n"));
    }

    @Test
    void listSaysHowToAddWhenEmpty() {
        ListCommand list = new ListCommand();
        list.directory = new NodeDirectoryComponent(configurationAdmin.service());
        list.out = out;
        list.execute();
        assertTrue(printed().contains("No nodes"), printed());
    }

    @Test
    void importWritesNewNodesAndSaysWhereEachDuplicateCameFrom() throws Exception {
        add("sparky", "08:00:20:01:02:03").execute();
        Path ethers = dir.resolve("ethers");
        Files.writeString(ethers, """
                8:0:20:1:2:3        sparky
                08:00:20:0a:0b:0c   sun2
                08:00:20:0a:0b:0d   sun3
                08:00:20:0a:0b:0d   sun3again
                nonsense
                """);
        printed.reset();
        importer("ethers", ethers, false).execute();
        assertEquals(3, configurationAdmin.contents().size());
        assertTrue(Files.exists(dir.resolve("org.diskless.node-sun2.cfg")), "one file per imported node");
        assertTrue(Files.exists(dir.resolve("org.diskless.node-sun3.cfg")), "one file per imported node");
        assertEquals("""
                Imported 2 node(s) from <etc>/ethers (/etc/ethers (MAC and host name or IPv4 address)):
                  sun2 08:00:20:0a:0b:0c
                  sun3 08:00:20:0a:0b:0d
                Not imported, taken already (2):
                  line 1: sparky 08:00:20:01:02:03: a node named 'sparky' is already in the inventory\
                 (<etc>/org.diskless.node-sparky.cfg)
                  line 4: sun3again 08:00:20:0a:0b:0d: MAC 08:00:20:0a:0b:0d already belongs to node 'sun3' on line 3\
                 of this file
                Skipped lines (1):
                  line 5: expected a MAC and a host name or IPv4 address, found 1 field(s)
                """, printed().replace(dir.toString(), "<etc>"));
    }

    @Test
    void addWaitsUntilTheDirectoryServesTheNodeSoThatAListRightAfterShowsIt() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        AddCommand command = add("pc01", "52:54:00:aa:00:01");
        command.directory = directory((method, args) -> // Config Admin tells the directory on the third look
                asked.incrementAndGet() < 3 ? Optional.empty() : method.invoke(directory, args));
        command.execute();
        assertEquals(3, asked.get());
        assertEquals("Added node pc01 52:54:00:aa:00:01 (" + dir.resolve("org.diskless.node-pc01.cfg") + ")\n",
                printed());
    }

    @Test
    void addSaysSoWhenTheDirectoryDoesNotServeTheNodeInTime() throws Exception {
        AddCommand command = add("pc01", "52:54:00:aa:00:01");
        command.directory = new NodeDirectoryComponent(new FakeConfigurationAdmin().service()); // serves nothing
        command.servedWithin = Duration.ofMillis(50);
        command.execute();
        assertTrue(printed().contains("The inventory does not serve it yet"), printed());
    }

    @Test
    void importNeverHandsTheTerminalAControlCharacterFromTheFile() throws Exception {
        Path ethers = dir.resolve("ethers");
        Files.writeString(ethers, "08:00:20:0a:0b:0c   sun\u001b[2J\n08:00:20:0a:0b:0d   sun3 extra\u0007\n",
                StandardCharsets.ISO_8859_1);
        importer("ethers", ethers, false).execute();
        assertTrue(printed().chars().noneMatch(c -> c == 0x1b || c == 0x07), printed());
        assertTrue(printed().contains("sun\\x1b[2J"), printed());
    }

    @Test
    void importDryRunWritesNothing() throws Exception {
        Path rbootd = dir.resolve("rbootd.conf");
        Files.writeString(rbootd, "08:00:09:0:66:ad  SYSHPBSD\n");
        importer("rbootd", rbootd, true).execute();
        assertEquals(0, configurationAdmin.contents().size());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(rbootd), files.toList(), "no node file either");
        }
        assertTrue(printed().contains("Would import 1 node(s)"), printed());
        assertTrue(printed().contains("rmp1=SYSHPBSD"), printed());
    }

    @Test
    void importRefusesAnUnknownFormatInOneLineListingTheKnownOnes() {
        CommandException e = assertThrows(CommandException.class,
                () -> importer("bootptab", dir.resolve("x"), false).execute());
        assertEquals("Unknown format 'bootptab'; use one of dhcpd, dnsmasq, ethers, clusterconf, rbootd",
                e.getMessage());
        assertEquals("", printed());
    }

    @Test
    void importSaysWhenTheFileCannotBeRead() {
        CommandException e = assertThrows(CommandException.class,
                () -> importer("dhcpd", dir.resolve("missing.conf"), false).execute());
        assertTrue(e.getMessage().contains("Cannot read"), e.getMessage());
    }
}
