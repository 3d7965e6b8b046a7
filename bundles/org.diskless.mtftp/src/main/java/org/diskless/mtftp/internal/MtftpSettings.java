package org.diskless.mtftp.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Optional;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.diskless.support.config.SettingsUpdate;

/**
 * The MTFTP server's own settings ({@code etc/org.diskless.mtftp.cfg}), checked as a whole; the
 * multicast files are configured one per factory configuration ({@link FileSettings}).
 *
 * @param address            where server ports are bound and blocks are sent from; 0.0.0.0: every
 *                           address, the source of each datagram chosen by its route
 * @param multicastInterface the interface multicast leaves by, or empty for the route to the group
 * @param retries            how often an unacknowledged block (or OACK) is sent again before its
 *                           client is taken as gone
 * @param rfc2090Groups      the groups RFC 2090 sessions take turns on; empty: RFC 2090 requests
 *                           are left to unicast TFTP
 */
record MtftpSettings(Inet4Address address, Optional<String> multicastInterface, int ttl, Duration timeout,
                     int retries, long maxBytesPerSecond, int maxFiles, int maxClientsPerFile, int maxBlockSize,
                     GroupPool rfc2090Groups,
                     int rfc2090Port, int maxSessionsPerClient) {

    static final String DEFAULT_ADDRESS = "0.0.0.0";
    static final Inet4Address ANY = anyAddress();
    static final int DEFAULT_TTL = 1;
    static final int DEFAULT_TIMEOUT_SECONDS = 1;
    /** With the default timeout, a master is taken as gone after four silent seconds. */
    static final int DEFAULT_RETRIES = 3;
    /**
     * About 80 Mbit/s, what a Fast Ethernet client takes with room to spare: a master that writes
     * faster than the clients that only listen leaves them blocks short, and each of them costs a
     * whole round more on the wire.
     */
    static final long DEFAULT_MAX_BYTES_PER_SECOND = 10_000_000;
    static final int DEFAULT_MAX_FILES = 64;
    static final int DEFAULT_MAX_CLIENTS_PER_FILE = 1024;
    /** The largest block that fits an Ethernet frame (1500 - IP - UDP - TFTP headers): a fragment lost is a block lost for everyone. */
    static final int DEFAULT_MAX_BLOCK_SIZE = 1468;
    static final String DEFAULT_RFC2090_GROUPS = "239.255.69.1-239.255.69.16";
    /**
     * Not 1758 (the PXE clients' default port): a PXE client checks only the source address of
     * what reaches its port, so on one host it would take blocks of an RFC 2090 session as its own.
     */
    static final int DEFAULT_RFC2090_PORT = 1760;
    static final int DEFAULT_MAX_SESSIONS_PER_CLIENT = 8;

    static final int MIN_BLOCK_SIZE = 8;
    static final int MAX_BLOCK_SIZE = 65464;

    static MtftpSettings defaults() {
        return SettingsUpdate.defaults(MtftpSettings::parse);
    }

    static MtftpSettings parse(Config config) throws InvalidSettingException {
        Inet4Address address = config.ipv4("address").orElse(ANY);
        Optional<String> nic = config.text("interface");
        if (nic.isPresent()) {
            checkInterface(nic.get());
        }
        return new MtftpSettings(address, nic,
                config.integer("ttl", DEFAULT_TTL, 1, 255),
                config.seconds("timeout", Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS), 1, 255),
                config.integer("retries", DEFAULT_RETRIES, 0, 100),
                config.number("maxBytesPerSecond", DEFAULT_MAX_BYTES_PER_SECOND, 0, Long.MAX_VALUE / 1_000_000_000L),
                config.integer("maxFiles", DEFAULT_MAX_FILES, 1, 4096),
                config.integer("maxClientsPerFile", DEFAULT_MAX_CLIENTS_PER_FILE, 1, 65_535),
                config.integer("maxBlockSize", DEFAULT_MAX_BLOCK_SIZE, MIN_BLOCK_SIZE, MAX_BLOCK_SIZE),
                GroupPool.parse("rfc2090Groups", config.has("rfc2090Groups")
                        ? config.text("rfc2090Groups", "") : DEFAULT_RFC2090_GROUPS),
                config.integer("rfc2090Port", DEFAULT_RFC2090_PORT, 1, 65535),
                config.integer("maxSessionsPerClient", DEFAULT_MAX_SESSIONS_PER_CLIENT, 1, 4096));
    }

    private static void checkInterface(String name) throws InvalidSettingException {
        try {
            if (NetworkInterface.getByName(name) == null) {
                throw new InvalidSettingException("interface", name, "no interface of that name on this host"
                        + " (ip link lists them); leave it empty to let the route to each group decide");
            }
        } catch (SocketException e) {
            throw new InvalidSettingException("interface", name, "cannot list this host's interfaces: "
                    + e.getMessage());
        }
    }

    private static Inet4Address anyAddress() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
