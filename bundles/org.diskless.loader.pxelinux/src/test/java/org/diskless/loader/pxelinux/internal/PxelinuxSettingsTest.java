package org.diskless.loader.pxelinux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

class PxelinuxSettingsTest {

    static PxelinuxSettings parse(Map<String, ?> properties) throws InvalidSettingException {
        return PxelinuxSettings.parse(Config.of(properties));
    }

    @Test
    void defaultsNamePxelinux0WithItsConfigDirectoryInTheRoot() throws Exception {
        PxelinuxSettings settings = parse(Map.of());
        assertEquals("pxelinux.0", settings.bootFile());
        assertEquals("pxelinux.cfg/", settings.configDirectory());
        assertEquals(PxelinuxSettings.DEFAULTS, settings);
    }

    @Test
    void aLoaderInASubdirectoryHasItsConfigsBesideIt() throws Exception {
        assertEquals("bios/pxelinux.cfg/", parse(Map.of("bootFile", "/bios/pxelinux.0")).configDirectory());
    }

    @Test
    void theRankingIsANumberTypedOrWritten() throws Exception {
        parse(Map.of("service.ranking", 10));
        parse(Map.of("service.ranking", "-5"));
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> parse(Map.of("service.ranking", "high")));
        assertEquals("'service.ranking = high': not a whole number", e.getMessage());
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("bootFile", "../pxelinux.0"),
                Map.of("bootFile", "pxe linux.0"),
                Map.of("bootFile", "/"),
                Map.of("device", "eth0:1"),
                Map.of("append", "a\nb"))) {
            String key = bad.keySet().iterator().next();
            InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> parse(bad), bad.toString());
            assertEquals(key, e.key(), e.getMessage());
        }
    }
}
