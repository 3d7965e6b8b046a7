package org.diskless.wake.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.diskless.link.EthernetLinks;
import org.diskless.link.EthernetPort;
import org.diskless.link.LinkException;

/**
 * Sends each node's magic packet as UDP broadcasts to the configured ports and as a raw Ethernet
 * frame of type 0x0842, as {@link Routes} directs. A raw port is opened once per interface for the
 * whole run and closed with it; an interface whose port cannot be opened is not tried again in
 * that run, so one missing capability costs one line, not one per node.
 */
final class WireWaker implements Waker {

    private final WakeSettings settings;
    private final Routes routes;
    private final Optional<EthernetLinks> links;
    private final Map<String, EthernetPort> ports = new HashMap<>();
    private final Map<String, String> unusable = new HashMap<>();

    WireWaker(WakeSettings settings, Routes routes, Optional<EthernetLinks> links) {
        this.settings = settings;
        this.routes = routes;
        this.links = links;
    }

    @Override
    public Sent wake(WakeTarget target) {
        WakeRoute route = routes.of(target);
        byte[] payload = MagicPacket.payload(target.mac(), settings.passwordOf(target.name()));
        List<String> how = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (settings.udp()) {
            String to = "UDP " + route.broadcast().getHostAddress() + ":"
                    + settings.udpPorts().stream().map(String::valueOf).collect(Collectors.joining(","));
            try {
                sendUdp(route, payload);
                how.add(to);
            } catch (IOException e) {
                problems.add(to + " failed: " + e.getMessage());
            }
        }
        if (settings.ethernet()) {
            ethernet(route, payload).ifPresentOrElse(problems::add,
                    () -> how.add("Ethernet " + route.interfaceName().orElseThrow()));
        }
        return new Sent(String.join(" + ", how), problems);
    }

    private void sendUdp(WakeRoute route, byte[] payload) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setBroadcast(true);
            socket.bind(new InetSocketAddress(route.source().orElse(null), 0));
            for (int port : settings.udpPorts()) {
                socket.send(new DatagramPacket(payload, payload.length, route.broadcast(), port));
            }
        }
    }

    /** Sends the frame; returns the problem instead when it could not. */
    private Optional<String> ethernet(WakeRoute route, byte[] payload) {
        if (links.isEmpty()) {
            return Optional.of("no raw Ethernet frames: the raw-link service is not running (feature:install"
                    + " diskless-link), or set ethernet = false in etc/org.diskless.wake.cfg");
        }
        if (route.interfaceName().isEmpty()) {
            return Optional.of("no raw Ethernet frame: no interface is known for " + route.via()
                    + " (set interface in etc/org.diskless.wake.cfg)");
        }
        String name = route.interfaceName().get();
        if (unusable.containsKey(name)) {
            return Optional.of(unusable.get(name));
        }
        try {
            EthernetPort port = ports.get(name);
            if (port == null) {
                port = links.get().open(name, EthernetLinks.ETHERTYPE_WAKE_ON_LAN, List.of());
                ports.put(name, port);
            }
            port.send(MagicPacket.ethernetFrame(port.hardwareAddress(), payload));
            return Optional.empty();
        } catch (LinkException e) {
            String problem = "no raw Ethernet frames on " + name + ": " + e.getMessage();
            unusable.put(name, problem);
            return Optional.of(problem);
        } catch (IOException e) {
            return Optional.of("raw Ethernet frame on " + name + " failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        ports.values().forEach(EthernetPort::close);
        ports.clear();
    }
}
