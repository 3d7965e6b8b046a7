package org.diskless.mtftp.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.diskless.api.boot.MulticastTftp;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpEncoder;
import org.diskless.tftp.codec.TftpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

/**
 * The files PXE MTFTP serves, by name: where a request on a server port goes, and what DHCP may
 * advertise. Confined to the event loop, but for {@link #channelFor}, which reads a snapshot.
 */
final class PxeFiles {

    private static final Logger LOG = LoggerFactory.getLogger(PxeFiles.class);

    private final Services services;
    private final FileAccess access;
    private final GroupPorts ports;
    private final Map<String, MulticastFile> byName = new HashMap<>();
    private volatile Map<String, MulticastFile> snapshot = Map.of();
    private volatile Set<InetSocketAddress> destinations = Set.of();

    PxeFiles(Services services, FileAccess access, GroupPorts ports) {
        this.services = services;
        this.access = access;
        this.ports = ports;
    }

    /**
     * The files to serve now, by configuration: a file whose configuration changed starts afresh
     * (its round, if any, ends), the others keep their rounds and take {@code server} for the next.
     */
    void update(Map<String, FileSettings> served, MtftpSettings server) {
        for (MulticastFile file : new ArrayList<>(byName.values())) {
            FileSettings now = served.get(file.pid());
            if (now == null || !now.equals(file.settings())) {
                byName.remove(file.settings().file());
                file.retire(now == null ? "its configuration was removed" : "its configuration changed");
            }
        }
        for (Map.Entry<String, FileSettings> entry : served.entrySet()) {
            MulticastFile file = byName.get(entry.getValue().file());
            if (file == null) {
                file = new MulticastFile(entry.getKey(), entry.getValue(), server, services, access, ports);
                byName.put(entry.getValue().file(), file);
                file.checkAvailability();
                LOG.info("MTFTP multicasts {} on {} (requests on port {}, open timeout {} s, re-open delay {} s)",
                        entry.getValue().file(), entry.getValue().destinationText(), entry.getValue().serverPort(),
                        entry.getValue().openTimeoutSeconds(), entry.getValue().reopenDelaySeconds());
            } else {
                file.serverSettings(server);
            }
        }
        snapshot = Map.copyOf(byName);
        destinations = served.values().stream().map(FileSettings::destination).collect(Collectors.toUnmodifiableSet());
    }

    /** The groups and client ports the files are sent to; any thread. */
    Set<InetSocketAddress> destinations() {
        return destinations;
    }

    /** A read request on server port {@code port}; {@code reply} is that port's channel. */
    void request(int port, InetSocketAddress client, TftpRequest request, Channel reply) {
        String name = FileNames.normalize(request.filename());
        MulticastFile file = byName.get(name);
        if (file == null || file.settings().serverPort() != port) {
            services.counters().refusedNotMulticast.increment();
            services.throttle().info(LOG, "not multicast", "Refused an MTFTP open of '{}' from {} on port {}: no"
                    + " multicast file of that name takes requests there", NetworkText.shown(request.filename()),
                    PxeRound.shown(client), port);
            error(services, reply, client, TftpErrorCode.FILE_NOT_FOUND, "not sent by multicast here: fetch it by TFTP");
            return;
        }
        if (!request.normalizedMode().equals("octet")) {
            error(services, reply, client, TftpErrorCode.ILLEGAL_OPERATION, "MTFTP sends files in octet mode only");
            return;
        }
        file.request(client, reply);
    }

    /** What DHCP tells a BIOS client for {@code bootFile}; any thread. */
    Optional<MulticastTftp.Channel> channelFor(String bootFile) {
        MulticastFile file = snapshot.get(FileNames.normalize(bootFile));
        return file == null ? Optional.empty() : file.advertised();
    }

    List<GroupView> views() {
        return byName.values().stream().map(MulticastFile::view)
                .sorted((a, b) -> a.file().compareTo(b.file())).toList();
    }

    /** Every round ends (the server is stopping). */
    void retireAll(String why) {
        byName.values().forEach(file -> file.retire(why));
        byName.clear();
        snapshot = Map.of();
        destinations = Set.of();
    }

    /** Answers {@code client} with an ERROR from {@code reply}; the message is escaped and capped. */
    static void error(Services services, Channel reply, InetSocketAddress client, TftpErrorCode code, String message) {
        services.counters().errorsSent.increment();
        ByteBuf encoded = TftpEncoder.encode(reply.alloc(), new TftpError(code, NetworkText.shown(message)));
        services.counters().sent(encoded.readableBytes());
        reply.writeAndFlush(new DatagramPacket(encoded, client));
    }
}
