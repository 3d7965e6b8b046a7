package org.diskless.mtftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

/** The server's settings and each file's, as an operator writes them. */
class SettingsTest {

    private static FileSettings file(Map<String, String> written) throws InvalidSettingException {
        return FileSettings.parse(Config.of(written));
    }

    private static Map<String, String> with(String... keysAndValues) {
        Map<String, String> map = new HashMap<>(Map.of("file", "pxelinux.0", "group", "239.255.42.1"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void aFileTakesThePxeDefaults() throws Exception {
        FileSettings settings = file(with());
        assertEquals("pxelinux.0", settings.file());
        assertEquals(1758, settings.clientPort());
        assertEquals(1759, settings.serverPort());
        assertEquals(2, settings.openTimeoutSeconds());
        assertEquals(4, settings.reopenDelaySeconds());
    }

    @Test
    void aFileNameIsWrittenOneWay() throws Exception {
        assertEquals("boot/pxelinux.0", file(with("file", "/boot//./pxelinux.0")).file());
        assertEquals("boot/pxelinux.0", file(with("file", "\\boot\\pxelinux.0")).file());
    }

    @Test
    void whatCannotBeAFileOrGroupIsRefusedNamingTheKey() {
        assertEquals("file", assertThrows(InvalidSettingException.class, () -> file(with("file", ""))).key());
        assertEquals("file", assertThrows(InvalidSettingException.class, () -> file(with("file", "../etc/x"))).key());
        assertEquals("group", assertThrows(InvalidSettingException.class,
                () -> file(with("group", "192.0.2.1"))).key());
        assertEquals("group", assertThrows(InvalidSettingException.class,
                () -> file(with("group", "224.0.0.22"))).key());
        assertEquals("group", assertThrows(InvalidSettingException.class,
                () -> file(Map.of("file", "pxelinux.0"))).key());
    }

    @Test
    void portsAndTimesOutsideTheirRangesAreRefused() {
        assertEquals("clientPort", assertThrows(InvalidSettingException.class,
                () -> file(with("clientPort", "0"))).key());
        assertEquals("serverPort", assertThrows(InvalidSettingException.class,
                () -> file(with("serverPort", "65536"))).key());
        assertEquals("openTimeout", assertThrows(InvalidSettingException.class,
                () -> file(with("openTimeout", "256"))).key());
        assertEquals("reopenDelay", assertThrows(InvalidSettingException.class,
                () -> file(with("reopenDelay", "-1"))).key());
    }

    @Test
    void theServerDefaultsServeEveryAddressOnTheRoutesInterfaceWithinTheLocalNetwork() {
        MtftpSettings settings = MtftpSettings.defaults();
        assertEquals("0.0.0.0", settings.address().getHostAddress());
        assertEquals(Optional.empty(), settings.multicastInterface());
        assertEquals(1, settings.ttl());
        assertEquals(16, settings.rfc2090Groups().size());
        assertEquals(1760, settings.rfc2090Port());
    }

    @Test
    void anInterfaceThatIsNotThereIsRefused() {
        assertEquals("interface", assertThrows(InvalidSettingException.class,
                () -> MtftpSettings.parse(Config.of(Map.of("interface", "nosuch0")))).key());
    }

    @Test
    void anEmptyGroupPoolTurnsRfc2090Off() throws Exception {
        assertTrue(MtftpSettings.parse(Config.of(Map.of("rfc2090Groups", ""))).rfc2090Groups().isEmpty());
    }

    @Test
    void aGroupPoolIsAddressesAndRangesOfMulticastGroups() throws Exception {
        GroupPool pool = GroupPool.parse("rfc2090Groups", "239.255.1.254-239.255.2.1, 239.255.9.9");
        assertEquals(5, pool.size());
        assertEquals("239.255.2.0", pool.groups().get(2).getHostAddress());
        assertThrows(InvalidSettingException.class, () -> GroupPool.parse("k", "239.255.2.1-239.255.1.1"));
        assertThrows(InvalidSettingException.class, () -> GroupPool.parse("k", "10.0.0.1"));
        assertThrows(InvalidSettingException.class, () -> GroupPool.parse("k", "239.1.1.1,239.1.1.1"));
        assertThrows(InvalidSettingException.class, () -> GroupPool.parse("k", "239.0.0.0-239.255.255.255"));
    }
}
