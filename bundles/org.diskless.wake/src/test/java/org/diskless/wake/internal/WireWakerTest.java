package org.diskless.wake.internal;

import static org.diskless.wake.internal.SecureOnPasswordTest.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.link.EthernetLinks;
import org.diskless.link.EthernetPort;
import org.diskless.link.LinkException;
import org.junit.jupiter.api.Test;

class WireWakerTest {

    private static final HardwareAddress MAC = HardwareAddress.parse("52:54:00:12:34:56");
    private static final HardwareAddress OURS = HardwareAddress.parse("02:00:00:00:00:01");
    private static final WakeTarget NODE = new WakeTarget("node07", MAC, Optional.empty(), Optional.empty());

    @Test
    void theUdpPayloadGoesToEveryConfiguredPortOfTheBroadcastAddress() throws IOException {
        try (DatagramSocket first = listener(); DatagramSocket second = listener()) {
            WakeSettings settings = settings(Map.of("ethernet", "false", "secureOnPassword", "1.2.3.4",
                    "udpPorts", first.getLocalPort() + "," + second.getLocalPort(),
                    // loopback stands in for the segment's broadcast address
                    "broadcasts", "lo=127.0.0.1", "interface", "lo"));
            try (WireWaker waker = new WireWaker(settings, new Routes(settings, Optional.empty(), new SystemInterfaces()),
                    Optional.empty())) {
                Waker.Sent sent = waker.wake(NODE);

                assertEquals("UDP 127.0.0.1:" + first.getLocalPort() + "," + second.getLocalPort(), sent.how());
                assertEquals(List.of(), sent.problems());
            }
            byte[] expected = MagicPacket.payload(MAC, Optional.of(SecureOnPassword.parse("1.2.3.4")));
            assertArrayEquals(expected, receive(first));
            assertArrayEquals(expected, receive(second));
        }
    }

    @Test
    void theEthernetFrameLeavesTheRoutesInterfaceFromItsAddressOnOnePortPerRun() {
        RecordingLinks links = new RecordingLinks(null);
        WakeSettings settings = settings(Map.of("udp", "false", "interface", "eth1"));
        WireWaker waker = new WireWaker(settings, new Routes(settings, Optional.empty(), new SystemInterfaces()),
                Optional.of(links));

        Waker.Sent first = waker.wake(NODE);
        waker.wake(new WakeTarget("node08", HardwareAddress.parse("52:54:00:12:34:57"), Optional.empty(),
                Optional.empty()));
        waker.close();

        assertEquals("Ethernet eth1", first.how());
        assertEquals(List.of("eth1"), links.opened, "one port for the run");
        assertEquals(2, links.frames.size());
        ByteBuffer expected = MagicPacket.ethernetFrame(OURS, MagicPacket.payload(MAC, Optional.empty()));
        assertArrayEquals(bytes(expected), links.frames.get(0));
        assertTrue(links.closed, "closed with the run");
    }

    @Test
    void aPortThatCannotBeOpenedIsOneProblemForTheRunAndUdpStillLeaves() throws IOException {
        RecordingLinks links = new RecordingLinks(new LinkException(LinkException.Reason.NOT_PERMITTED,
                "not allowed to open a raw socket on eth1: run as root or grant CAP_NET_RAW"));
        try (DatagramSocket socket = listener()) {
            WakeSettings settings = settings(Map.of("interface", "lo", "broadcasts", "lo=127.0.0.1",
                    "udpPorts", String.valueOf(socket.getLocalPort())));
            WireWaker waker = new WireWaker(settings, new Routes(settings, Optional.empty(), new SystemInterfaces()),
                    Optional.of(links));

            Waker.Sent first = waker.wake(NODE);
            Waker.Sent second = waker.wake(NODE);

            assertEquals("UDP 127.0.0.1:" + socket.getLocalPort(), first.how());
            assertEquals(1, first.problems().size());
            assertTrue(first.problems().get(0).contains("CAP_NET_RAW"), first.problems()::toString);
            assertEquals(first.problems(), second.problems());
            assertEquals(1, links.attempts, "not tried again in the same run");
            receive(socket);
        }
    }

    @Test
    void withoutTheRawLinkServiceTheProblemSaysWhatToInstall() {
        WakeSettings settings = settings(Map.of("udp", "false", "interface", "eth1"));
        Waker.Sent sent = new WireWaker(settings, new Routes(settings, Optional.empty(), new SystemInterfaces()),
                Optional.empty()).wake(NODE);

        assertEquals("", sent.how());
        assertTrue(sent.problems().get(0).contains("feature:install diskless-link"), sent.problems()::toString);
    }

    private static DatagramSocket listener() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
        return socket;
    }

    private static byte[] receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
        socket.receive(packet);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** Raw links that record what is opened and sent, or refuse to open. */
    private static final class RecordingLinks implements EthernetLinks {
        private final LinkException refusal;
        final List<String> opened = new ArrayList<>();
        final List<byte[]> frames = new ArrayList<>();
        int attempts;
        boolean closed;

        RecordingLinks(LinkException refusal) {
            this.refusal = refusal;
        }

        @Override
        public EthernetPort open(String interfaceName, int protocol, Collection<HardwareAddress> groups)
                throws LinkException {
            attempts++;
            if (refusal != null) {
                throw refusal;
            }
            assertEquals(EthernetLinks.ETHERTYPE_WAKE_ON_LAN, protocol);
            opened.add(interfaceName);
            return new EthernetPort() {
                @Override
                public String interfaceName() {
                    return interfaceName;
                }

                @Override
                public HardwareAddress hardwareAddress() {
                    return OURS;
                }

                @Override
                public int receive(ByteBuffer frame, Duration timeout) {
                    return 0;
                }

                @Override
                public void send(ByteBuffer frame) {
                    frames.add(bytes(frame));
                }

                @Override
                public void close() {
                    closed = true;
                }
            };
        }
    }
}
