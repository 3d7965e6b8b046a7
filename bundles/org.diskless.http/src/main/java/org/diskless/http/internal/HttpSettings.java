package org.diskless.http.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.diskless.support.config.SettingsUpdate;

/**
 * The HTTP server's configuration, checked: an operator's typo is refused with the key and the
 * reason (see {@link SettingsUpdate}), and the settings in force keep serving.
 */
record HttpSettings(InetSocketAddress bindAddress, int maxConnections, int maxConnectionsPerClient,
                    Duration idleTimeout) {

    static final String DEFAULT_ADDRESS = "0.0.0.0";
    private static final InetAddress ANY_ADDRESS = new InetSocketAddress(DEFAULT_ADDRESS, 0).getAddress();
    /** Not 80: the boot server often shares its host with a web server, and 8080 needs no privilege. */
    static final int DEFAULT_PORT = 8080;
    static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /** A firmware or iPXE opens one or two at a time; more leave room for clients behind one NAT address. */
    static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 16;
    static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

    static HttpSettings defaults() {
        return SettingsUpdate.defaults(HttpSettings::parse);
    }

    static HttpSettings parse(Config config) throws InvalidSettingException {
        InetAddress host = config.address("address", ANY_ADDRESS);
        int port = config.integer("port", DEFAULT_PORT, 1, 65535);
        return new HttpSettings(new InetSocketAddress(host, port),
                config.integer("maxConnections", DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
                config.integer("maxConnectionsPerClient", DEFAULT_MAX_CONNECTIONS_PER_CLIENT, 1, 1_000_000),
                config.seconds("idleTimeout", Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS), 1, 3600));
    }

    @Override
    public String toString() {
        return bindAddress + ", at most " + maxConnections + " connections (" + maxConnectionsPerClient
                + " per client), idle timeout " + idleTimeout.toSeconds() + " s";
    }
}
