package org.diskless.loader.pxelinux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PxelinuxSettingsTest {

    @Test
    void defaultsNamePxelinux0WithItsConfigDirectoryInTheRoot() throws Exception {
        PxelinuxSettings settings = PxelinuxSettings.from(Map.of());
        assertEquals("pxelinux.0", settings.bootFile());
        assertEquals("pxelinux.cfg/", settings.configDirectory());
    }

    @Test
    void aLoaderInASubdirectoryHasItsConfigsBesideIt() throws Exception {
        assertEquals("bios/pxelinux.cfg/", PxelinuxSettings.from(Map.of("bootFile", "/bios/pxelinux.0")).configDirectory());
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("bootFile", "../pxelinux.0"),
                Map.of("bootFile", "pxe linux.0"),
                Map.of("device", "eth0:1"),
                Map.of("append", "a\nb"))) {
            String key = bad.keySet().iterator().next();
            InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> PxelinuxSettings.from(bad),
                    bad.toString());
            assertTrue(e.getMessage().startsWith("'" + key + "'"), e.getMessage());
        }
    }
}
