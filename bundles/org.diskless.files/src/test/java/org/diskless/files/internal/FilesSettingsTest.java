package org.diskless.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which boot roots are served: only a directory of their own, never the server's own files. */
class FilesSettingsTest {

    @TempDir
    Path karaf;
    private ServerDirectories server;

    @BeforeEach
    void aKarafBase() throws IOException {
        Files.createDirectories(karaf.resolve("etc"));
        Files.writeString(karaf.resolve("etc/host.key"), "-----BEGIN PRIVATE KEY-----");
        Files.createDirectories(karaf.resolve("data"));
        Files.createDirectories(karaf.resolve("tftpboot"));
        server = new ServerDirectories(Optional.of(karaf), List.of(karaf.resolve("etc"), karaf.resolve("data")));
    }

    @Test
    void theDefaultIsTftpbootUnderTheKarafBase() throws Exception {
        assertEquals(karaf.resolve("tftpboot"), parse(Map.of()).root());
        assertEquals(karaf.resolve("tftpboot"), parse(Map.of("root", " tftpboot ")).root());
    }

    @Test
    void anAbsoluteDirectoryOfItsOwnIsServed() throws Exception {
        Path elsewhere = Files.createDirectories(karaf.resolveSibling(karaf.getFileName() + "-boot"));
        assertEquals(elsewhere, parse(Map.of("root", elsewhere.toString())).root());
    }

    @Test
    void anEmptyRootIsRefusedNotTakenAsTheWorkingDirectoryOrTheDefault() {
        assertRefused(Map.of("root", ""), "'root' (not set): empty");
        assertRefused(Map.of("root", "  "), "'root' (not set): empty");
    }

    @Test
    void aRootThatDoesNotExistOrIsNoDirectoryIsRefused() {
        assertRefused(Map.of("root", "/nonexistent/tftpboot"), "'root = /nonexistent/tftpboot': no such directory");
        assertRefused(Map.of("root", "etc/host.key"), "'root = etc/host.key'");
    }

    @Test
    void theKarafBaseAndEveryParentOfItsEtcAreRefused() {
        assertRefused(Map.of("root", "."), "holds the server's own " + karaf.resolve("etc"));
        assertRefused(Map.of("root", karaf.toString()), "holds the server's own");
        assertRefused(Map.of("root", karaf.getParent().toString()), "holds the server's own");
        assertRefused(Map.of("root", "/"), "holds the server's own");
    }

    @Test
    void etcDataAndWhatLiesInsideThemAreRefused() throws IOException {
        Files.createDirectories(karaf.resolve("data/log"));
        assertRefused(Map.of("root", "etc"), karaf.resolve("etc") + " is the server's own");
        assertRefused(Map.of("root", "data/log"), "lies inside the server's own " + karaf.resolve("data"));
    }

    @Test
    void aLinkToTheKarafBaseIsRefusedLikeTheBaseItself() throws IOException {
        Files.createSymbolicLink(karaf.resolve("tftpboot/up"), karaf);
        assertRefused(Map.of("root", "tftpboot/up"), "holds the server's own");
    }

    private FilesSettings parse(Map<String, ?> properties) throws InvalidSettingException {
        return FilesSettings.parse(Config.of(properties), server);
    }

    private void assertRefused(Map<String, ?> properties, String message) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> parse(properties));
        assertTrue(e.getMessage().startsWith(message) || e.getMessage().contains(message), e.getMessage());
    }
}
