package org.diskless.api.boot;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.diskless.api.HardwareAddress;

/**
 * One step of a node's boot as a protocol saw it: a DHCP exchange, a file sent, an error. The
 * per-node timeline is built from these. Built with {@link #builder}, so that a field added in a
 * later release breaks no caller.
 */
public final class BootEvent {

    /**
     * What happened. An open value: a third-party protocol names its own steps with {@link #of};
     * the constants are the steps the timeline understands (a file sent, a failure).
     */
    public static final class Kind {
        public static final Kind DISCOVER = new Kind("DISCOVER");
        public static final Kind OFFER = new Kind("OFFER");
        public static final Kind REQUEST = new Kind("REQUEST");
        public static final Kind ACK = new Kind("ACK");
        public static final Kind NAK = new Kind("NAK");
        public static final Kind DECLINE = new Kind("DECLINE");
        public static final Kind RELEASE = new Kind("RELEASE");
        public static final Kind INFORM = new Kind("INFORM");
        public static final Kind FILE_STARTED = new Kind("FILE_STARTED");
        public static final Kind FILE_SENT = new Kind("FILE_SENT");
        public static final Kind FILE_RECEIVED = new Kind("FILE_RECEIVED");
        public static final Kind FILE_FAILED = new Kind("FILE_FAILED");
        /**
         * A request for a file answered with an error instead of a transfer (not found, access
         * violation, an option refused, server busy); the detail names the file and the reason.
         */
        public static final Kind FILE_REFUSED = new Kind("FILE_REFUSED");
        public static final Kind SESSION_OPENED = new Kind("SESSION_OPENED");
        public static final Kind SESSION_CLOSED = new Kind("SESSION_CLOSED");

        /** The constants, so that {@link #of} returns the same object for a known name. */
        private static final Map<String, Kind> KNOWN = Stream.of(DISCOVER, OFFER, REQUEST, ACK, NAK, DECLINE, RELEASE, INFORM, FILE_STARTED, FILE_SENT, FILE_RECEIVED, FILE_FAILED, FILE_REFUSED, SESSION_OPENED, SESSION_CLOSED)
                .collect(Collectors.toUnmodifiableMap(Kind::name, Function.identity()));

        private final String name;

        private Kind(String name) {
            this.name = name;
        }

        /** The kind of that name: upper-case letters, digits and {@code _}, at most 32 characters. */
        public static Kind of(String name) {
            String upper = OpenNames.canonical(name, "event kind");
            return KNOWN.getOrDefault(upper, new Kind(upper));
        }

        public String name() {
            return name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Kind other && name.equals(other.name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final Instant time;
    private final BootProtocol protocol;
    private final Kind kind;
    private final InetAddress client;
    private final Optional<HardwareAddress> hardwareAddress;
    private final String detail;
    private final long bytes;
    private final Duration duration;

    private BootEvent(Builder b) {
        this.time = Objects.requireNonNull(b.time, "time");
        this.protocol = Objects.requireNonNull(b.protocol, "protocol");
        this.kind = Objects.requireNonNull(b.kind, "kind");
        this.client = Objects.requireNonNull(b.client, "client");
        this.hardwareAddress = Optional.ofNullable(b.hardwareAddress);
        this.detail = Objects.requireNonNull(b.detail, "detail");
        this.duration = Objects.requireNonNull(b.duration, "duration");
        if (b.bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + b.bytes);
        }
        this.bytes = b.bytes;
    }

    /** An event with no MAC, no detail, no bytes and no duration until the builder adds them. */
    public static Builder builder(Instant time, BootProtocol protocol, Kind kind, InetAddress client) {
        return new Builder(time, protocol, kind, client);
    }

    public Instant time() {
        return time;
    }

    public BootProtocol protocol() {
        return protocol;
    }

    public Kind kind() {
        return kind;
    }

    public InetAddress client() {
        return client;
    }

    public Optional<HardwareAddress> hardwareAddress() {
        return hardwareAddress;
    }

    /**
     * What an operator needs to read: the file name, the error text. It may come from the network:
     * consumers cap and escape it before they keep or print it.
     */
    public String detail() {
        return detail;
    }

    /** Bytes moved, for file events; 0 otherwise. */
    public long bytes() {
        return bytes;
    }

    /** How long the step took, for file events; zero otherwise. */
    public Duration duration() {
        return duration;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BootEvent other && time.equals(other.time) && protocol.equals(other.protocol)
                && kind.equals(other.kind) && client.equals(other.client)
                && hardwareAddress.equals(other.hardwareAddress) && detail.equals(other.detail)
                && bytes == other.bytes && duration.equals(other.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, protocol, kind, client, hardwareAddress, detail, bytes, duration);
    }

    @Override
    public String toString() {
        return "BootEvent[time=" + time + ", protocol=" + protocol + ", kind=" + kind + ", client=" + client
                + ", hardwareAddress=" + hardwareAddress + ", detail=" + detail + ", bytes=" + bytes
                + ", duration=" + duration + "]";
    }

    /** Collects an event's values; time, protocol, kind and client are required. */
    public static final class Builder {
        private final Instant time;
        private final BootProtocol protocol;
        private final Kind kind;
        private final InetAddress client;
        private HardwareAddress hardwareAddress;
        private String detail = "";
        private long bytes;
        private Duration duration = Duration.ZERO;

        private Builder(Instant time, BootProtocol protocol, Kind kind, InetAddress client) {
            this.time = time;
            this.protocol = protocol;
            this.kind = kind;
            this.client = client;
        }

        /** @param hardwareAddress the client's MAC, or null when the protocol does not see it */
        public Builder hardwareAddress(HardwareAddress hardwareAddress) {
            this.hardwareAddress = hardwareAddress;
            return this;
        }

        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        public Builder bytes(long bytes) {
            this.bytes = bytes;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public BootEvent build() {
            return new BootEvent(this);
        }
    }
}
