package org.diskless.api;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a node's boot as a protocol saw it: a DHCP exchange, a file sent, an error. The
 * per-node timeline is built from these.
 *
 * @param bytes    bytes moved, for file events; 0 otherwise
 * @param duration how long the step took, for file events; zero otherwise
 * @param detail   what an operator needs to read: the file name, the error text
 */
public record BootEvent(
        Instant time,
        BootProtocol protocol,
        Kind kind,
        InetAddress client,
        Optional<HardwareAddress> hardwareAddress,
        String detail,
        long bytes,
        Duration duration) {

    public enum Kind {
        DISCOVER, OFFER, REQUEST, ACK, NAK, DECLINE, RELEASE, INFORM,
        FILE_STARTED, FILE_SENT, FILE_RECEIVED, FILE_FAILED,
        SESSION_OPENED, SESSION_CLOSED
    }

    public BootEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(duration, "duration");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
    }
}
