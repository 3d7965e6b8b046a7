package org.diskless.files.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;
import org.diskless.api.files.BootFileException.Reason;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileProvider;
import org.diskless.api.files.BootFileUpload;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreeResolverTest {

    private static final BootContext CLIENT = BootContext.of(BootProtocol.TFTP,
            new InetSocketAddress("192.0.2.10", 2000));

    @TempDir
    Path base;
    private Path root;
    private FileTreeResolver resolver;

    @BeforeEach
    void tree() throws IOException {
        root = Files.createDirectories(base.resolve("tftpboot"));
        Files.createDirectories(root.resolve("pxelinux.cfg"));
        Files.writeString(root.resolve("pxelinux.0"), "loader");
        Files.writeString(root.resolve("pxelinux.cfg/default"), "DEFAULT linux\n");
        Files.writeString(base.resolve("secret"), "outside");
        resolver = new FileTreeResolver(root);
    }

    @Test
    void servesAFileWithItsSizeKnownBeforeReading() throws Exception {
        BootFile file = resolver.resolve("pxelinux.0", CLIENT);
        assertEquals("pxelinux.0", file.path());
        assertEquals(6, file.size());
        assertFalse(file.generated());
        assertEquals("loader", read(file));
    }

    @Test
    void backslashesLeadingSlashesAndDotSegmentsAreNormalised() throws Exception {
        assertEquals("pxelinux.cfg/default", resolver.resolve("pxelinux.cfg\\default", CLIENT).path());
        assertEquals("pxelinux.cfg/default", resolver.resolve("/pxelinux.cfg//./default", CLIENT).path());
        assertEquals("pxelinux.0", resolver.resolve(root + "/pxelinux.0", CLIENT).path());
    }

    @Test
    void dotDotIsRefusedEvenWhenItWouldStayInside() {
        assertReason(Reason.OUTSIDE_ROOT, "../secret");
        assertReason(Reason.OUTSIDE_ROOT, "pxelinux.cfg/../pxelinux.0");
        assertReason(Reason.OUTSIDE_ROOT, "..\\secret");
        assertReason(Reason.OUTSIDE_ROOT, "/../../etc/passwd");
    }

    @Test
    void anAbsolutePathIsTakenInsideTheRootNeverOutside() {
        assertReason(Reason.NOT_FOUND, base.resolve("secret").toString());
        assertReason(Reason.NOT_FOUND, "/etc/passwd");
    }

    @Test
    void controlCharactersAndNulAreRefused() {
        assertReason(Reason.INVALID_NAME, "pxelinux.0\0.txt");
        assertReason(Reason.INVALID_NAME, "pxe\nlinux.0");
        assertReason(Reason.INVALID_NAME, "pxe\u007flinux.0");
        assertReason(Reason.INVALID_NAME, "");
        assertReason(Reason.INVALID_NAME, "/");
        assertReason(Reason.INVALID_NAME, "a".repeat(FileJail.MAX_NAME_LENGTH + 1));
    }

    @Test
    void aSymbolicLinkLeadingOutsideIsRefusedOneInsideIsFollowed() throws Exception {
        Files.createSymbolicLink(root.resolve("escape"), base.resolve("secret"));
        Files.createSymbolicLink(root.resolve("escape-dir"), base);
        Files.createSymbolicLink(root.resolve("loader"), root.resolve("pxelinux.0"));
        assertReason(Reason.OUTSIDE_ROOT, "escape");
        assertReason(Reason.OUTSIDE_ROOT, "escape-dir/secret");
        assertEquals("loader", read(resolver.resolve("loader", CLIENT)));
    }

    @Test
    void directoriesAndMissingFilesAreRefusedWithTheirOwnReason() {
        assertReason(Reason.DENIED, "pxelinux.cfg");
        assertReason(Reason.NOT_FOUND, "vmlinuz");
    }

    @Test
    void generatedFilesResolveWhenTheTreeHasNoSuchFile() throws Exception {
        resolver.addProvider(provider("pxelinux.cfg/01-52-54-00-12-34-56", "generated"), Map.of());
        BootFile file = resolver.resolve("pxelinux.cfg\\01-52-54-00-12-34-56", CLIENT);
        assertTrue(file.generated());
        assertEquals(9, file.size());
        assertEquals("generated", read(file));
    }

    @Test
    void aFileInTheTreeWinsOverAGeneratedOne() throws Exception {
        resolver.addProvider(provider("pxelinux.cfg/default", "generated"), Map.of());
        assertEquals("DEFAULT linux\n", read(resolver.resolve("pxelinux.cfg/default", CLIENT)));
    }

    @Test
    void theHighestRankedProviderAnswersFirstAndAFailingOneIsSkipped() throws Exception {
        resolver.addProvider(provider("menu", "low"), Map.of("service.ranking", 1, "service.id", 1L));
        resolver.addProvider(provider("menu", "high"), Map.of("service.ranking", 10, "service.id", 2L));
        BootFileProvider broken = (path, context) -> {
            throw new IllegalStateException("provider bug");
        };
        resolver.addProvider(broken, Map.of("service.ranking", 100, "service.id", 3L));
        assertEquals("high", read(resolver.resolve("menu", CLIENT)));
    }

    @Test
    void aProviderFailingOnEveryRequestIsLoggedOnceAMinuteNotOnceARequest() {
        resolver.addProvider((path, context) -> {
            throw new IllegalStateException("provider bug");
        }, Map.of("service.id", 1L));
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 100; i++) {
                assertReason(Reason.NOT_FOUND, "menu-\u202e" + i); // right-to-left override: passes the jail
            }
        } finally {
            System.setErr(original);
        }
        String logged = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, logged.lines().filter(line -> line.contains("Boot file provider")).count(), logged);
        assertFalse(logged.contains("\u202e"), logged);
    }

    @Test
    void aProvidersRankingChangeCountsFromTheNextRequest() throws Exception {
        BootFileProvider first = provider("menu", "first");
        resolver.addProvider(first, Map.of("service.ranking", 1, "service.id", 1L));
        resolver.addProvider(provider("menu", "second"), Map.of("service.ranking", 10, "service.id", 2L));
        assertEquals("second", read(resolver.resolve("menu", CLIENT)));

        resolver.updatedProvider(first, Map.of("service.ranking", 20, "service.id", 1L));

        assertEquals("first", read(resolver.resolve("menu", CLIENT)));
    }

    @Test
    void aRefusedRootKeepsTheRootInForceServing() throws Exception {
        Files.createDirectories(base.resolve("etc"));
        Files.writeString(base.resolve("etc/host.key"), "secret key");
        ServerDirectories karaf = new ServerDirectories(Optional.of(base), List.of(base.resolve("etc")));
        FileTreeResolver configured = new FileTreeResolver(Map.of("root", "tftpboot"), karaf);

        for (String refused : List.of("", "/nonexistent", ".", base.toString(), "etc")) {
            configured.modified(Map.of("root", refused));
            assertEquals("loader", read(configured.resolve("pxelinux.0", CLIENT)), "after root = " + refused);
            assertReason(configured, Reason.NOT_FOUND, "etc/host.key");
        }
    }

    @Test
    void withoutAUsableRootNothingIsServedUntilOneIsConfigured() throws Exception {
        ServerDirectories karaf = new ServerDirectories(Optional.of(base), List.of(base.resolve("etc")));
        FileTreeResolver configured = new FileTreeResolver(Map.of("root", ""), karaf);
        assertReason(configured, Reason.IO_ERROR, "secret");
        assertReason(configured, Reason.IO_ERROR, "tftpboot/pxelinux.0");

        configured.modified(Map.of("root", "tftpboot"));
        assertEquals("loader", read(configured.resolve("pxelinux.0", CLIENT)));
    }

    @Test
    void providersNeverSeeNamesTheJailRefused() {
        resolver.addProvider((path, context) -> Optional.of(new byte[1]), Map.of());
        assertReason(Reason.OUTSIDE_ROOT, "../secret");
        assertReason(Reason.INVALID_NAME, "a\0b");
    }

    @Test
    void anUploadIsInvisibleUntilCommittedAndThenWhole() throws Exception {
        try (BootFileUpload upload = resolver.createUpload("upload.bin", CLIENT, false)) {
            upload.write(ByteBuffer.wrap("first ".getBytes(US_ASCII)));
            upload.write(ByteBuffer.wrap("second".getBytes(US_ASCII)));
            assertReason(Reason.NOT_FOUND, "upload.bin");
            upload.commit();
        }
        assertEquals("first second", Files.readString(root.resolve("upload.bin")));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("upload.bin"))), "readable like the rest of the tree");
        assertOnlyExpectedFilesInRoot();
    }

    @Test
    void anAbortedUploadLeavesNothingBehind() throws Exception {
        try (BootFileUpload upload = resolver.createUpload("partial.bin", CLIENT, false)) {
            upload.write(ByteBuffer.wrap(new byte[1000]));
        }
        assertFalse(Files.exists(root.resolve("partial.bin")));
        assertOnlyExpectedFilesInRoot();
    }

    @Test
    void anUploadReplacesAnExistingFileOnlyWhenAllowed() throws Exception {
        BootFileException refused = assertThrows(BootFileException.class,
                () -> resolver.createUpload("pxelinux.0", CLIENT, false));
        assertEquals(Reason.ALREADY_EXISTS, refused.reason());
        try (BootFileUpload upload = resolver.createUpload("pxelinux.0", CLIENT, true)) {
            upload.write(ByteBuffer.wrap("new".getBytes(US_ASCII)));
            upload.commit();
        }
        assertEquals("new", Files.readString(root.resolve("pxelinux.0")));
    }

    @Test
    void uploadsStayInsideTheRoot() throws Exception {
        Files.createSymbolicLink(root.resolve("out"), base);
        assertUploadReason(Reason.OUTSIDE_ROOT, "out/planted");
        assertUploadReason(Reason.OUTSIDE_ROOT, "../planted");
        assertUploadReason(Reason.NOT_FOUND, "no/such/dir/file");
        Files.createSymbolicLink(root.resolve("link"), base.resolve("secret"));
        assertUploadReason(Reason.DENIED, "link");
        assertFalse(Files.exists(base.resolve("planted")));
    }

    private void assertOnlyExpectedFilesInRoot() throws IOException {
        try (var names = Files.list(root)) {
            assertTrue(names.noneMatch(p -> p.getFileName().toString().startsWith(TreeUpload.TEMP_PREFIX)),
                    "temporary upload file left behind");
        }
    }

    private static void assertReason(FileTreeResolver resolver, Reason expected, String path) {
        BootFileException e = assertThrows(BootFileException.class, () -> resolver.resolve(path, CLIENT));
        assertEquals(expected, e.reason(), e.getMessage());
    }

    private void assertReason(Reason expected, String path) {
        assertReason(resolver, expected, path);
    }

    private void assertUploadReason(Reason expected, String path) {
        BootFileException e = assertThrows(BootFileException.class,
                () -> resolver.createUpload(path, CLIENT, true));
        assertEquals(expected, e.reason(), e.getMessage());
    }

    private static BootFileProvider provider(String name, String content) {
        return (path, context) -> path.equals(name) ? Optional.of(content.getBytes(US_ASCII)) : Optional.empty();
    }

    private static String read(BootFile file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) file.size() + 10);
        try (BootFileContent content = file.open()) {
            long position = 0;
            int n;
            while ((n = content.read(buffer, position)) > 0) {
                position += n;
            }
            assertEquals(-1, content.read(ByteBuffer.allocate(1), file.size()));
        }
        return new String(buffer.array(), 0, buffer.position(), US_ASCII);
    }
}
