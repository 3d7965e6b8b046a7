package org.diskless.api.boot;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A PXE multicast TFTP (MTFTP) service, as the DHCP server needs to know it: for a boot file it
 * serves by multicast, the group and ports a BIOS PXE ROM is told in option 43 (sub-options 1-5).
 * The DHCP server sends those sub-options only while such a service is registered, and never to
 * UEFI clients, whose firmware discards offers that carry them.
 */
@ConsumerType
public interface MulticastTftp {

    /**
     * The multicast channel on which {@code bootFile} is served to this client, or empty when it is
     * served by unicast TFTP only.
     */
    Optional<Channel> channelFor(String bootFile, BootContext context);

    /**
     * @param group               the multicast group the file is sent to
     * @param clientPort          the UDP port clients listen on
     * @param serverPort          the UDP port the server takes MTFTP requests on
     * @param openTimeoutSeconds  how long a client listens before it opens the transfer itself
     * @param reopenDelaySeconds  how long it waits before reopening a transfer that stalled
     */
    record Channel(Inet4Address group, int clientPort, int serverPort, int openTimeoutSeconds,
                   int reopenDelaySeconds) {
        public Channel {
            Objects.requireNonNull(group, "group");
            if (!group.isMulticastAddress()) {
                throw new IllegalArgumentException(group + " is not a multicast group");
            }
            for (int port : new int[] {clientPort, serverPort}) {
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("not a UDP port: " + port);
                }
            }
            if (openTimeoutSeconds < 0 || openTimeoutSeconds > 255 || reopenDelaySeconds < 0 || reopenDelaySeconds > 255) {
                throw new IllegalArgumentException("MTFTP timeouts are 0-255 seconds");
            }
        }
    }
}
