package org.diskless.link.internal;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

import org.diskless.api.HardwareAddress;
import org.diskless.link.EthernetLinks;
import org.diskless.link.EthernetPort;
import org.diskless.link.LinkException;
import org.diskless.link.LinkException.Reason;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;

/** {@link EthernetLinks} on Linux packet sockets ({@code packet(7)}), through JNA. */
@Component(service = EthernetLinks.class)
public final class AfPacketLinks implements EthernetLinks {

    private static final Logger LOG = LoggerFactory.getLogger(AfPacketLinks.class);

    @Override
    public EthernetPort open(String interfaceName, int protocol, Collection<HardwareAddress> multicastGroups)
            throws LinkException {
        if (protocol < 0 || protocol > 0xFFFF) {
            throw new IllegalArgumentException("protocol is a 16-bit value, not " + protocol);
        }
        List<HardwareAddress> groups = List.copyOf(multicastGroups);
        for (HardwareAddress group : groups) {
            if (group.length() != 6) {
                throw new IllegalArgumentException("multicast group " + group + " is not an Ethernet address");
            }
        }
        if (LinuxSockets.unavailable().isPresent()) {
            Throwable why = LinuxSockets.unavailable().get();
            throw new LinkException(Reason.UNSUPPORTED, "raw Ethernet sockets are not available here: "
                    + why.getMessage(), why);
        }
        Interface nic = find(interfaceName);
        int fd;
        try {
            fd = LinuxSockets.socket(LinuxSockets.AF_PACKET, LinuxSockets.SOCK_RAW, LinuxSockets.htons(protocol));
        } catch (LastErrorException e) {
            throw openFailure(interfaceName, "socket", e);
        }
        try {
            bind(fd, protocol, nic.index());
            for (HardwareAddress group : groups) {
                join(fd, nic.index(), group);
            }
        } catch (LastErrorException e) {
            closeQuietly(fd);
            throw openFailure(interfaceName, "bind", e);
        }
        if (!nic.up()) {
            LOG.warn("Interface {} is down: frames arrive once it is up (ip link set {} up)", interfaceName,
                    interfaceName);
        }
        HardwareAddress mac = nic.address();
        return new PacketSocketPort(fd, interfaceName, mac);
    }

    /** What the kernel says about an interface: its index, Ethernet address and whether it is up. */
    private record Interface(int index, HardwareAddress address, boolean up) {
    }

    /**
     * Looks the interface up with the kernel's own interface requests on an ordinary UDP socket
     * (no privilege needed, so a missing interface is told apart from a missing capability).
     * {@code java.net.NetworkInterface} is no help here: it lists only interfaces with an IP
     * address, and a segment for boot ROMs often has none.
     */
    private static Interface find(String interfaceName) throws LinkException {
        byte[] name = interfaceName.getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0 || name.length >= LinuxSockets.IFNAMSIZ) {
            throw new LinkException(Reason.NO_SUCH_INTERFACE, "'" + interfaceName + "' is not an interface name"
                    + " (1 to 15 characters, as ip link shows them)");
        }
        int fd;
        try {
            fd = LinuxSockets.socket(LinuxSockets.AF_INET, LinuxSockets.SOCK_DGRAM, 0);
        } catch (LastErrorException e) {
            throw new LinkException(Reason.FAILED, "cannot look up interface " + interfaceName + ": "
                    + LinuxSockets.errorName(e.getErrorCode()), e);
        }
        try {
            Memory request = new Memory(LinuxSockets.IFREQ_SIZE);
            int index = interfaceRequest(fd, request, name, LinuxSockets.SIOCGIFINDEX, interfaceName).getInt(16);
            Memory hardware = interfaceRequest(fd, request, name, LinuxSockets.SIOCGIFHWADDR, interfaceName);
            if ((hardware.getShort(16) & 0xFFFF) != LinuxSockets.ARPHRD_ETHER) {
                throw new LinkException(Reason.NO_SUCH_INTERFACE, "interface " + interfaceName
                        + " has no Ethernet address (loopback and tunnels carry no Ethernet frames)");
            }
            HardwareAddress address = HardwareAddress.ethernet(hardware.getByteArray(18, 6));
            boolean up = (interfaceRequest(fd, request, name, LinuxSockets.SIOCGIFFLAGS, interfaceName).getShort(16)
                    & LinuxSockets.IFF_UP) != 0;
            return new Interface(index, address, up);
        } finally {
            closeQuietly(fd);
        }
    }

    private static Memory interfaceRequest(int fd, Memory request, byte[] name, long command, String interfaceName)
            throws LinkException {
        request.clear();
        request.write(0, name, 0, name.length);
        try {
            LinuxSockets.ioctl(fd, new NativeLong(command), request);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LinuxSockets.ENODEV || e.getErrorCode() == LinuxSockets.ENXIO) {
                throw new LinkException(Reason.NO_SUCH_INTERFACE, "there is no network interface named '"
                        + interfaceName + "' (ip link shows the names)", e);
            }
            throw new LinkException(Reason.FAILED, "cannot look up interface " + interfaceName + ": "
                    + LinuxSockets.errorName(e.getErrorCode()), e);
        }
        return request;
    }

    private static void bind(int fd, int protocol, int interfaceIndex) {
        Memory address = new Memory(LinuxSockets.SOCKADDR_LL_SIZE);
        address.clear();
        address.setShort(0, (short) LinuxSockets.AF_PACKET);
        address.setByte(2, (byte) (protocol >> 8)); // sll_protocol is in network byte order
        address.setByte(3, (byte) protocol);
        address.setInt(4, interfaceIndex);
        LinuxSockets.bind(fd, address, LinuxSockets.SOCKADDR_LL_SIZE);
    }

    private static void join(int fd, int interfaceIndex, HardwareAddress group) {
        Memory request = new Memory(LinuxSockets.PACKET_MREQ_SIZE);
        request.clear();
        request.setInt(0, interfaceIndex);
        request.setShort(4, (short) LinuxSockets.PACKET_MR_MULTICAST);
        request.setShort(6, (short) 6);
        request.write(8, group.toByteArray(), 0, 6);
        LinuxSockets.setsockopt(fd, LinuxSockets.SOL_PACKET, LinuxSockets.PACKET_ADD_MEMBERSHIP, request,
                LinuxSockets.PACKET_MREQ_SIZE);
    }

    private static LinkException openFailure(String interfaceName, String call, LastErrorException e) {
        int errno = e.getErrorCode();
        if (errno == LinuxSockets.EPERM || errno == LinuxSockets.EACCES) {
            return new LinkException(Reason.NOT_PERMITTED, "not allowed to open a raw socket on " + interfaceName
                    + " (" + LinuxSockets.errorName(errno) + "): run as root or grant CAP_NET_RAW"
                    + " (AmbientCapabilities=CAP_NET_RAW in a systemd unit)", e);
        }
        if (errno == LinuxSockets.ENODEV || errno == LinuxSockets.ENXIO) {
            return new LinkException(Reason.NO_SUCH_INTERFACE, "interface " + interfaceName
                    + " vanished while its raw socket was opened (" + LinuxSockets.errorName(errno) + ")", e);
        }
        if (errno == LinuxSockets.EAFNOSUPPORT) {
            return new LinkException(Reason.UNSUPPORTED, "this kernel has no packet sockets ("
                    + LinuxSockets.errorName(errno) + ")", e);
        }
        return new LinkException(Reason.FAILED, call + " for a raw socket on " + interfaceName + " failed: "
                + LinuxSockets.errorName(errno), e);
    }

    private static void closeQuietly(int fd) {
        try {
            LinuxSockets.close(fd);
        } catch (LastErrorException ignored) {
            // Already failing; the open error is what the operator needs to read.
        }
    }
}
