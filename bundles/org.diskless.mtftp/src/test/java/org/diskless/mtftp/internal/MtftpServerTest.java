package org.diskless.mtftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.boot.MulticastTftp;
import org.diskless.support.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server component on real sockets of the loopback interface: ports bound, requests answered. */
class MtftpServerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final TestResolver resolver = new TestResolver().file("pxelinux.0", 1300).file("vmlinuz", 3000);
    private MtftpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.deactivate();
        }
    }

    private MtftpServer start(Duration bindRetry) {
        server = new MtftpServer(resolver, Map.of("address", LOOPBACK.getHostAddress(), "maxBytesPerSecond", "0"),
                bindRetry);
        return server;
    }

    private static FileSettings file(String name, int serverPort) throws Exception {
        return FileSettings.parse(Config.of(Map.of("file", name, "group", "239.255.42.1", "clientPort", "1758",
                "serverPort", String.valueOf(serverPort))));
    }

    private static int freePort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
            return socket.getLocalPort();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static byte[] request(String file, String... options) {
        StringBuilder text = new StringBuilder(file).append('\0').append("octet").append('\0');
        for (String option : options) {
            text.append(option).append('\0');
        }
        byte[] body = text.toString().getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(2 + body.length).putShort((short) 1).put(body).array();
    }

    private static DatagramPacket receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        socket.receive(packet);
        return packet;
    }

    @Test
    void aMulticastFileIsAdvertisedAndItsFirstOpenerGetsBlockOneFromThePortOfItsRounds() throws Exception {
        int serverPort = freePort();
        MtftpServer mtftp = start(Duration.ofSeconds(10));
        assertEquals(Optional.empty(), mtftp.channelFor("pxelinux.0", BootContext.of(BootProtocol.DHCP,
                new InetSocketAddress(LOOPBACK, 68))), "nothing is advertised before a file is configured");
        assertEquals(Optional.empty(), mtftp.put("org.diskless.mtftp.file.a", file("pxelinux.0", serverPort)));
        await(() -> mtftp.channelFor("pxelinux.0", null).isPresent(), "the file is advertised");
        MulticastTftp.Channel channel = mtftp.channelFor("/pxelinux.0", null).orElseThrow();
        assertEquals(serverPort, channel.serverPort());
        try (DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
            client.setSoTimeout(5000);
            client.send(new DatagramPacket(request("pxelinux.0"), request("pxelinux.0").length, LOOPBACK, serverPort));
            DatagramPacket data = receive(client);
            ByteBuffer header = ByteBuffer.wrap(data.getData(), 0, 4);
            assertEquals(3, header.getShort(), "DATA");
            assertEquals(1, header.getShort(), "block 1");
            assertEquals(4 + 512, data.getLength());
            assertTrue(data.getPort() != serverPort, "from the port of the file's rounds, not the server port");
            String master = LOOPBACK.getHostAddress() + ":" + client.getLocalPort();
            await(() -> mtftp.groups().get(0).master().equals(master), "the opener is master");
        }
    }

    @Test
    void aServerPortAnotherProgramHoldsIsTriedAgainAndTheFileAdvertisedOnceItIsFree() throws Exception {
        DatagramSocket holder = new DatagramSocket(0, LOOPBACK);
        int serverPort = holder.getLocalPort();
        MtftpServer mtftp = start(Duration.ofMillis(200));
        mtftp.put("org.diskless.mtftp.file.a", file("pxelinux.0", serverPort));
        Thread.sleep(500);
        assertEquals(Optional.empty(), mtftp.channelFor("pxelinux.0", null), "no server port, no advertisement");
        holder.close();
        await(() -> mtftp.channelFor("pxelinux.0", null).isPresent(), "the port is bound once free");
    }

    @Test
    void anRfc2090RequestIsAnsweredWithAnOackNamingItsGroupFromThePortOfItsSession() throws Exception {
        MtftpServer mtftp = start(Duration.ofSeconds(10));
        try (DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
            client.setSoTimeout(5000);
            InetSocketAddress from = new InetSocketAddress(LOOPBACK, client.getLocalPort());
            assertTrue(mtftp.serve("vmlinuz", Map.of("multicast", "", "tsize", "0"),
                    BootContext.of(BootProtocol.TFTP, from)));
            DatagramPacket oack = receive(client);
            String text = new String(oack.getData(), 2, oack.getLength() - 2, StandardCharsets.US_ASCII);
            assertEquals(6, ByteBuffer.wrap(oack.getData()).getShort(), "OACK");
            assertTrue(text.contains("tsize\u00003000\u0000"), text);
            assertTrue(text.contains("multicast\u0000239.255.69.1,1760,1\u0000"), text);
            assertEquals(1, mtftp.sessions().size());
            client.send(new DatagramPacket(new byte[] {0, 5, 0, 0, 'x', 0}, 6, oack.getSocketAddress()));
            await(() -> mtftp.sessions().isEmpty(), "the session ends with its only client's ERROR");
        }
    }
}
