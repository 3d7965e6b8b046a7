package org.diskless.link;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.diskless.api.HardwareAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A raw Ethernet port: whole frames (destination, source, type or length, payload; no FCS) in
 * and out of one interface. Sending is safe from any thread; receiving is meant for one thread.
 */
@ProviderType
public interface EthernetPort extends Closeable {

    /** The largest frame a port hands over or accepts: 1514 bytes, the Ethernet MTU plus header. */
    int MAX_FRAME = 1514;

    String interfaceName();

    /** The interface's own address, the source of every frame this server sends. */
    HardwareAddress hardwareAddress();

    /**
     * Waits up to {@code timeout} for the next frame and puts it into {@code frame} at its position.
     *
     * @return the frame length, or 0 when nothing arrived in time
     * @throws IOException when the socket failed (interface gone, port closed)
     */
    int receive(ByteBuffer frame, Duration timeout) throws IOException;

    /** Sends the frame between {@code frame}'s position and limit as it is (padding is the caller's). */
    void send(ByteBuffer frame) throws IOException;

    /** Leaves the multicast groups and closes the socket; a blocked {@link #receive} returns soon after. */
    @Override
    void close();
}
