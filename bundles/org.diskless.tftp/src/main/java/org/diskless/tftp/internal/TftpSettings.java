package org.diskless.tftp.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.diskless.support.config.SettingsUpdate;

/**
 * The TFTP server's configuration, checked: an operator's typo is refused with the key and the
 * reason (see {@link SettingsUpdate}), and the settings in force keep serving.
 */
record TftpSettings(InetSocketAddress bindAddress, int maxBlockSize, int maxWindowSize, int clientReceiveBuffer,
                    Duration timeout, int retries, int maxTransfers, int maxTransfersPerClient, boolean allowWrite,
                    boolean allowOverwrite, long maxUploadSize, int busyPollMicros) {

    static final String DEFAULT_ADDRESS = "0.0.0.0";
    private static final InetAddress ANY_ADDRESS = new InetSocketAddress(DEFAULT_ADDRESS, 0).getAddress();
    static final int DEFAULT_PORT = 69;
    static final int DEFAULT_MAX_BLOCK_SIZE = 65464;
    static final int DEFAULT_MAX_WINDOW_SIZE = 64;
    /** Linux's default socket receive buffer (net.core.rmem_default): what a client has unless it asks for more. */
    static final int DEFAULT_CLIENT_RECEIVE_BUFFER = 212_992;
    static final int DEFAULT_TIMEOUT_SECONDS = 1;
    static final int DEFAULT_RETRIES = 5;
    static final int DEFAULT_MAX_TRANSFERS = 1000;
    /** A PXE client runs one or two transfers at once; a few more leave room for clients behind one NAT address. */
    static final int DEFAULT_MAX_TRANSFERS_PER_CLIENT = 16;
    static final long DEFAULT_MAX_UPLOAD_SIZE = 1L << 30;
    /** About a round trip to a busy client on a LAN: an ACK is usually back within it. */
    static final int DEFAULT_BUSY_POLL_MICROS = 200;
    static final int MAX_BUSY_POLL_MICROS = 10_000;

    static final int MIN_BLOCK_SIZE = 8;
    static final int MAX_BLOCK_SIZE = 65464;

    static TftpSettings defaults() {
        return SettingsUpdate.defaults(TftpSettings::parse);
    }

    static TftpSettings parse(Config config) throws InvalidSettingException {
        InetAddress host = config.address("address", ANY_ADDRESS);
        int port = config.integer("port", DEFAULT_PORT, 1, 65535);
        return new TftpSettings(
                new InetSocketAddress(host, port),
                config.integer("maxBlockSize", DEFAULT_MAX_BLOCK_SIZE, MIN_BLOCK_SIZE, MAX_BLOCK_SIZE),
                config.integer("maxWindowSize", DEFAULT_MAX_WINDOW_SIZE, 1, 65535),
                config.integer("clientReceiveBuffer", DEFAULT_CLIENT_RECEIVE_BUFFER, 1, Integer.MAX_VALUE),
                config.seconds("timeout", Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS), 1, 255),
                config.integer("retries", DEFAULT_RETRIES, 0, 100),
                config.integer("maxTransfers", DEFAULT_MAX_TRANSFERS, 1, 1_000_000),
                config.integer("maxTransfersPerClient", DEFAULT_MAX_TRANSFERS_PER_CLIENT, 1, 1_000_000),
                config.bool("allowWrite", false),
                config.bool("allowOverwrite", false),
                config.number("maxUploadSize", DEFAULT_MAX_UPLOAD_SIZE, 0, Long.MAX_VALUE),
                config.integer("busyPollMicros", DEFAULT_BUSY_POLL_MICROS, 0, MAX_BUSY_POLL_MICROS));
    }
}
