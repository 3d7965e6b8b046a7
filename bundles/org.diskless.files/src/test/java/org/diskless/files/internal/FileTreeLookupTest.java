package org.diskless.files.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;
import org.diskless.api.files.BootFileException.Reason;
import org.diskless.api.files.BootFileException;
import org.diskless.api.nodes.Node;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-node resolution through the resolver: pxelinux lookup chains and HP-UX context-dependent files. */
class FileTreeLookupTest {

    private static final String UUID_NAME = "b8945908-d6a6-41a9-611d-74a6ab80b83d";
    private static final String MAC_NAME = "01-52-54-00-12-34-56";

    @TempDir
    Path base;
    private Path root;
    private FileTreeResolver resolver;

    private static final Node NODE = Node.builder("hp350", HardwareAddress.parse("52:54:00:12:34:56"))
            .uuid(UUID.fromString(UUID_NAME)).address(ip("192.0.2.91"))
            .hardwareContexts(List.of("HP-MC68020", "HP-MC68K")).build();
    private static final BootContext NODE_ASKS = BootContext.of(BootProtocol.TFTP,
            new InetSocketAddress("192.0.2.91", 2070)).withNode(NODE);
    private static final BootContext STRANGER_ASKS = BootContext.of(BootProtocol.TFTP,
            new InetSocketAddress("192.0.2.200", 2070));

    @BeforeEach
    void tree() throws IOException {
        root = Files.createDirectories(base.resolve("tftpboot"));
        Files.createDirectories(root.resolve("pxelinux.cfg"));
        Files.writeString(root.resolve("pxelinux.cfg/default"), "default");
        Files.writeString(base.resolve("secret"), "outside");
        resolver = new FileTreeResolver(root);
    }

    // ---------------------------------------------------------------- pxelinux chain

    @Test
    void aDirectRequestForAnExistingNameIsServedUnchanged() throws Exception {
        write("pxelinux.cfg/C000025B", "subnet");
        write("pxelinux.cfg/" + MAC_NAME, "per-mac");
        assertEquals("subnet", read("pxelinux.cfg/C000025B", NODE_ASKS));
        assertEquals("per-mac", read("pxelinux.cfg/" + MAC_NAME, NODE_ASKS));
        assertEquals("default", read("pxelinux.cfg/default", NODE_ASKS));
    }

    @Test
    void aMissingChainNameGetsTheFirstLaterOneThatExists() throws Exception {
        write("pxelinux.cfg/C00002", "shortened");
        BootFile file = resolver.resolve("pxelinux.cfg/" + UUID_NAME, NODE_ASKS);
        assertEquals("pxelinux.cfg/C00002", file.path(), "the file actually served is named");
        assertEquals("shortened", read(file));
        assertEquals("shortened", read("pxelinux.cfg/C000025B", NODE_ASKS));
        assertEquals("default", read("pxelinux.cfg/C0000", NODE_ASKS));
    }

    @Test
    void aPerNodeFileGeneratedUnderTheMacNameAnswersTheUuidRequest() throws Exception {
        List<String> asked = new ArrayList<>();
        resolver.addProvider((path, context) -> {
            asked.add(path);
            return path.equals("pxelinux.cfg/" + MAC_NAME) ? Optional.of("generated".getBytes(US_ASCII))
                    : Optional.empty();
        }, Map.of());
        BootFile file = resolver.resolve("pxelinux.cfg/" + UUID_NAME, NODE_ASKS);
        assertTrue(file.generated());
        assertEquals("generated", read(file));
        assertEquals(List.of("pxelinux.cfg/" + UUID_NAME, "pxelinux.cfg/" + MAC_NAME), asked,
                "providers are asked in chain order and no further than needed");
    }

    @Test
    void aFileInTheTreeEarlierInTheChainWinsOverALaterGeneratedOne() throws Exception {
        write("pxelinux.cfg/" + UUID_NAME, "by-uuid");
        resolver.addProvider((path, context) -> Optional.of("generated".getBytes(US_ASCII)), Map.of());
        assertEquals("by-uuid", read("pxelinux.cfg/" + UUID_NAME, NODE_ASKS));
    }

    @Test
    void defaultStaysDefaultEvenWhenAPerNodeFileExists() throws Exception {
        write("pxelinux.cfg/" + MAC_NAME, "per-mac");
        resolver.addProvider((path, context) -> path.endsWith(MAC_NAME) ? Optional.of(new byte[1]) : Optional.empty(),
                Map.of());
        assertEquals("default", read("pxelinux.cfg/default", NODE_ASKS));
    }

    @Test
    void aMissingIncludeIsNotFoundRatherThanTheChain() {
        assertReason(Reason.NOT_FOUND, "pxelinux.cfg/menu.cfg", NODE_ASKS);
    }

    @Test
    void anotherNodesFileIsNeverServedThroughTheChain() throws Exception {
        write("pxelinux.cfg/" + MAC_NAME, "per-mac");
        assertReason(Reason.NOT_FOUND, "pxelinux.cfg/01-aa-bb-cc-dd-ee-ff", NODE_ASKS);
        assertEquals("per-mac", read("pxelinux.cfg/" + MAC_NAME, STRANGER_ASKS),
                "an existing file is served as asked, like any other file");
        assertEquals("default", read("pxelinux.cfg/C0A80001", BootContext.of(BootProtocol.TFTP,
                new InetSocketAddress("192.168.0.1", 2070))));
    }

    @Test
    void withoutAnyExistingChainNameTheClientLearnsItsOwnNameIsMissing() throws Exception {
        Files.delete(root.resolve("pxelinux.cfg/default"));
        BootFileException e = assertThrows(BootFileException.class,
                () -> resolver.resolve("pxelinux.cfg/" + MAC_NAME, NODE_ASKS));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains(MAC_NAME), e.getMessage());
    }

    @Test
    void aRequestedChainNameThatExistsButIsRefusedIsNotPaperedOver() throws Exception {
        Files.createSymbolicLink(root.resolve("pxelinux.cfg/" + MAC_NAME), base.resolve("secret"));
        assertReason(Reason.OUTSIDE_ROOT, "pxelinux.cfg/" + MAC_NAME, NODE_ASKS);
    }

    @Test
    void aLaterChainNameLeadingOutsideIsSkippedNeverServed() throws Exception {
        Files.createSymbolicLink(root.resolve("pxelinux.cfg/" + MAC_NAME), base.resolve("secret"));
        assertEquals("default", read("pxelinux.cfg/" + UUID_NAME, NODE_ASKS));
    }

    // ---------------------------------------------------------------- HP-UX CDFs

    @Test
    void theCnodeNameElementComesFirst() throws Exception {
        cdf("SYSBCKUP", "hp350", "remoteroot", "HP-MC68020", "default");
        assertEquals("SYSBCKUP+/hp350", resolver.resolve("SYSBCKUP", NODE_ASKS).path());
        assertEquals("hp350", read("SYSBCKUP", NODE_ASKS));
    }

    @Test
    void thenRemoteroot() throws Exception {
        cdf("SYSBCKUP", "localroot", "remoteroot", "HP-MC68020", "default");
        assertEquals("remoteroot", read("SYSBCKUP", NODE_ASKS));
    }

    @Test
    void localrootIsNeverAClientsContext() throws Exception {
        cdf("SYSBCKUP", "localroot");
        assertReason(Reason.NOT_FOUND, "SYSBCKUP", NODE_ASKS);
    }

    @Test
    void thenTheHardwareContextsBestFirst() throws Exception {
        cdf("SYSBCKUP", "HP-MC68K", "HP-MC68020", "default");
        assertEquals("HP-MC68020", read("SYSBCKUP", NODE_ASKS));
        Files.delete(root.resolve("SYSBCKUP+/HP-MC68020"));
        assertEquals("HP-MC68K", read("SYSBCKUP", NODE_ASKS));
    }

    @Test
    void thenDefault() throws Exception {
        cdf("SYSBCKUP", "other-cnode", "HP-MC68040", "default");
        assertEquals("default", read("SYSBCKUP", NODE_ASKS));
        assertEquals("default", read("SYSBCKUP", STRANGER_ASKS));
    }

    @Test
    void aCdfWithoutAMatchingElementIsNotFoundAndSaysWhy() throws Exception {
        cdf("SYSBCKUP", "other-cnode");
        BootFileException e = assertThrows(BootFileException.class, () -> resolver.resolve("SYSBCKUP", NODE_ASKS));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("SYSBCKUP+") && e.getMessage().contains("remoteroot"), e.getMessage());
    }

    @Test
    void anExplicitElementIsAddressedDirectly() throws Exception {
        cdf("SYSBCKUP", "hp350", "localroot", "default");
        assertEquals("localroot", read("SYSBCKUP+/localroot", NODE_ASKS));
        assertEquals("default", read("SYSBCKUP+/default", NODE_ASKS));
    }

    @Test
    void everyPathComponentMayBeACdf() throws Exception {
        Files.createDirectories(root.resolve("etc+/remoteroot/conf+/HP-MC68020"));
        Files.createDirectories(root.resolve("etc+/default/conf+/HP-MC68020"));
        Files.writeString(root.resolve("etc+/remoteroot/conf+/HP-MC68020/kernel"), "kernel");
        Files.writeString(root.resolve("etc+/default/conf+/HP-MC68020/kernel"), "wrong");
        BootFile file = resolver.resolve("etc/conf/kernel", NODE_ASKS);
        assertEquals("etc+/remoteroot/conf+/HP-MC68020/kernel", file.path());
        assertEquals("kernel", read(file));
    }

    @Test
    void aCdfElementWinsOverAPlainFileOfTheSameName() throws Exception {
        write("SYSBCKUP", "plain");
        cdf("SYSBCKUP", "default");
        assertEquals("default", read("SYSBCKUP", NODE_ASKS));
        Files.delete(root.resolve("SYSBCKUP+/default"));
        assertEquals("plain", read("SYSBCKUP", NODE_ASKS), "without a matching element the plain file serves");
    }

    @Test
    void aCdfElementLinkingOutsideTheRootIsRefused() throws Exception {
        Files.createDirectories(root.resolve("SYSBCKUP+"));
        Files.createSymbolicLink(root.resolve("SYSBCKUP+/hp350"), base.resolve("secret"));
        assertReason(Reason.OUTSIDE_ROOT, "SYSBCKUP", NODE_ASKS);
    }

    @Test
    void aCdfDirectoryLinkingOutsideTheRootIsRefused() throws Exception {
        Files.createDirectories(base.resolve("elsewhere"));
        Files.writeString(base.resolve("elsewhere/default"), "outside");
        Files.createSymbolicLink(root.resolve("SYSBCKUP+"), base.resolve("elsewhere"));
        assertReason(Reason.OUTSIDE_ROOT, "SYSBCKUP", NODE_ASKS);
        assertReason(Reason.OUTSIDE_ROOT, "SYSBCKUP+/default", NODE_ASKS);
    }

    @Test
    void aContextNameCannotClimbOutOfTheCdf() throws Exception {
        Node sneaky = Node.builder("..", NODE.hardwareAddress()).hardwareContexts(List.of("../..")).build();
        cdf("SYSBCKUP", "default");
        write("SYSBCKUP+/../x", "sibling"); // what ".." would reach
        assertEquals("default", read("SYSBCKUP", STRANGER_ASKS.withNode(sneaky)));
    }

    @Test
    void aCdfElementThatIsADirectoryIsRefusedAsTheLastComponent() throws Exception {
        Files.createDirectories(root.resolve("SYSBCKUP+/default"));
        assertReason(Reason.DENIED, "SYSBCKUP", NODE_ASKS);
    }

    @Test
    void pxelinuxConfigsResolveThroughCdfsToo() throws Exception {
        Files.delete(root.resolve("pxelinux.cfg/default"));
        Files.createDirectories(root.resolve("pxelinux.cfg/default+"));
        Files.writeString(root.resolve("pxelinux.cfg/default+/HP-MC68K"), "by hardware");
        assertEquals("by hardware", read("pxelinux.cfg/" + MAC_NAME, NODE_ASKS));
    }

    // ---------------------------------------------------------------- helpers

    private void cdf(String name, String... elements) throws IOException {
        Files.createDirectories(root.resolve(name + "+"));
        for (String element : elements) {
            Files.writeString(root.resolve(name + "+/" + element), element);
        }
    }

    private void write(String relative, String content) throws IOException {
        Path path = root.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
    }

    private void assertReason(Reason expected, String path, BootContext context) {
        BootFileException e = assertThrows(BootFileException.class, () -> resolver.resolve(path, context));
        assertEquals(expected, e.reason(), e.getMessage());
    }

    private String read(String path, BootContext context) throws Exception {
        return read(resolver.resolve(path, context));
    }

    private static String read(BootFile file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) file.size());
        try (BootFileContent content = file.open()) {
            while (buffer.hasRemaining() && content.read(buffer, buffer.position()) > 0) {
                // positional reads until the whole file is in
            }
        }
        assertFalse(buffer.hasRemaining());
        return new String(buffer.array(), US_ASCII);
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
