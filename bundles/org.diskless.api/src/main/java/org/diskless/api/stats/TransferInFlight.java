package org.diskless.api.stats;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

import org.diskless.api.boot.BootProtocol;

/**
 * One file transfer running now, as its protocol sees it: for a status page's progress bar. Built
 * with {@link #builder}, so that a field added later breaks no caller.
 */
public final class TransferInFlight {

    private final BootProtocol protocol;
    private final String client;
    private final String file;
    private final Instant started;
    private final long bytesSent;
    private final OptionalLong size;

    private TransferInFlight(Builder b) {
        this.protocol = Objects.requireNonNull(b.protocol, "protocol");
        this.client = Objects.requireNonNull(b.client, "client");
        this.file = Objects.requireNonNull(b.file, "file");
        this.started = Objects.requireNonNull(b.started, "started");
        if (b.bytesSent < 0) {
            throw new IllegalArgumentException("bytes sent must not be negative: " + b.bytesSent);
        }
        this.bytesSent = b.bytesSent;
        this.size = b.size < 0 ? OptionalLong.empty() : OptionalLong.of(b.size);
    }

    /**
     * @param client who receives it, as the protocol names it: an address and port, or for a
     *               multicast session its current master client
     * @param file   the file's name as the client asked for it (from the network: escape it to show it)
     */
    public static Builder builder(BootProtocol protocol, String client, String file, Instant started) {
        return new Builder(protocol, client, file, started);
    }

    public BootProtocol protocol() {
        return protocol;
    }

    public String client() {
        return client;
    }

    public String file() {
        return file;
    }

    public Instant started() {
        return started;
    }

    /**
     * Bytes sent so far (for an upload, received); for a multicast session, every datagram it sent
     * to its group, retransmissions included.
     */
    public long bytesSent() {
        return bytesSent;
    }

    /** The whole file's size, when known up front. */
    public OptionalLong size() {
        return size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransferInFlight other && protocol.equals(other.protocol) && client.equals(other.client)
                && file.equals(other.file) && started.equals(other.started) && bytesSent == other.bytesSent
                && size.equals(other.size);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocol, client, file, started, bytesSent, size);
    }

    @Override
    public String toString() {
        return "TransferInFlight[" + protocol + " " + client + " " + file + " " + bytesSent + "/"
                + (size.isPresent() ? size.getAsLong() : "?") + " since " + started + "]";
    }

    /** Collects a transfer's values; protocol, client, file and start are required. */
    public static final class Builder {
        private final BootProtocol protocol;
        private final String client;
        private final String file;
        private final Instant started;
        private long bytesSent;
        private long size = -1;

        private Builder(BootProtocol protocol, String client, String file, Instant started) {
            this.protocol = protocol;
            this.client = client;
            this.file = file;
            this.started = started;
        }

        public Builder bytesSent(long bytesSent) {
            this.bytesSent = bytesSent;
            return this;
        }

        /** @param size the file's size in bytes, or a negative number when not known */
        public Builder size(long size) {
            this.size = size;
            return this;
        }

        public TransferInFlight build() {
            return new TransferInFlight(this);
        }
    }
}
