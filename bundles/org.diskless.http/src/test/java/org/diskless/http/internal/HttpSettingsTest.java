package org.diskless.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {

    @Test
    void defaultsListenOn8080EverywhereWithBoundedConnections() {
        HttpSettings defaults = HttpSettings.defaults();
        assertEquals(new InetSocketAddress("0.0.0.0", 8080), defaults.bindAddress());
        assertEquals(1000, defaults.maxConnections());
        assertEquals(16, defaults.maxConnectionsPerClient());
        assertEquals(Duration.ofSeconds(60), defaults.idleTimeout());
    }

    @Test
    void valuesAreReadTypedOrAsText() throws InvalidSettingException {
        HttpSettings read = HttpSettings.parse(Config.of(Map.of("address", "127.0.0.1", "port", "8081",
                "maxConnections", 10, "maxConnectionsPerClient", "2", "idleTimeout", "5")));
        assertEquals(new InetSocketAddress("127.0.0.1", 8081), read.bindAddress());
        assertEquals(10, read.maxConnections());
        assertEquals(2, read.maxConnectionsPerClient());
        assertEquals(Duration.ofSeconds(5), read.idleTimeout());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"port, 0", "port, 65536", "port, http", "address, 192.0.2.256", "maxConnections, 0",
            "maxConnectionsPerClient, -1", "idleTimeout, 0", "idleTimeout, 3601"})
    void aBadValueIsRefusedNamingItsKey(String key, String value) {
        InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                () -> HttpSettings.parse(Config.of(Map.of(key, value))));
        assertEquals(key, refused.key());
    }
}
