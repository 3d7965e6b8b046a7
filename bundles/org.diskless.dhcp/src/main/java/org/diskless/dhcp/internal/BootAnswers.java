package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.boot.HttpBootEndpoint;
import org.diskless.api.boot.MulticastTftp;
import org.diskless.api.nodes.BootRole;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpOptions;
import org.diskless.dhcp.codec.PxeClientClass;
import org.diskless.dhcp.codec.PxeVendorOptions;
import org.diskless.support.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a booting client is told, whoever answers it (the server's offer and ACK, a ProxyDHCP
 * offer, the boot server's ACK): next-server, the boot file the loaders or settings choose, and
 * for PXE clients option 60 and, for BIOS ROMs, option 43 with the menu and MTFTP parameters.
 */
final class BootAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(BootAnswers.class);

    /** Vendor boot server types for menu entries (PXE 2.1 table 2-4: 32768-65534 are vendor types). */
    static final int MENU_TYPE_BASE = 32768;
    private static final int LOCAL_BOOT_TYPE = 0;
    static final String DEFAULT_PROMPT = "Press F8 for boot menu";

    private final Supplier<Topology> topology;
    private final DhcpProcessor.Services services;
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));

    BootAnswers(Supplier<Topology> topology, DhcpProcessor.Services services) {
        this.topology = topology;
        this.services = services;
    }

    /**
     * Adds the boot answer for {@code client} to {@code reply}; {@code proxy} when the reply comes
     * from a ProxyDHCP or the boot server, which always say {@code PXEClient}. Returns whether a
     * boot file was named.
     */
    boolean add(DhcpClient client, DhcpMessage.Builder reply, boolean proxy) {
        Topology current = topology.get();
        Optional<Inet4Address> nextServer = current.nextServer(client.subnet());
        nextServer.ifPresent(reply::siaddr);
        if (!bootsAFile(client)) {
            return false;
        }
        Optional<PxeClientClass> pxeClass = client.request().options().pxeClientClass();
        boolean httpClient = pxeClass.map(PxeClientClass::isHttpClient).orElse(false)
                || client.context().architecture().map(ClientArchitecture::isHttpBoot).orElse(false);
        Optional<String> chosen = BootSelector.choose(client.context(), services.loaders().get(), current.settings(),
                client.subnet(), BootSelector.Trace.NONE);
        Optional<String> file = httpClient ? chosen.flatMap(named -> httpUrl(named, nextServer, client)) : chosen;
        if (file.isEmpty() && (current.settings().pxeMenu().isEmpty() || !client.isBios())) {
            // Nothing to boot: a plain DHCP answer, without "PXEClient", leaves the client free to
            // take its boot answer from a ProxyDHCP on the same network.
            return false;
        }
        reply.options(o -> {
            if (pxeClass.isPresent() || proxy) {
                o.vendorClassIdentifier(httpClient ? PxeClientClass.HTTP_CLIENT : PxeClientClass.PXE_CLIENT);
            }
            if (file.isPresent()) {
                if (file.get().length() >= DhcpMessage.FILE_SIZE || client.asked(DhcpOptions.BOOTFILE_NAME)) {
                    o.bootfileName(file.get());
                }
                if (nextServer.isPresent() && client.asked(DhcpOptions.TFTP_SERVER_NAME) && !httpClient) {
                    o.tftpServerName(nextServer.get().getHostAddress());
                }
            }
            if (pxeClass.isPresent() && !httpClient && client.isBios()) {
                o.vendorSpecific(pxeOptions(current, client, file));
            }
        });
        if (file.isPresent() && file.get().length() < DhcpMessage.FILE_SIZE) {
            reply.bootFileName(file.get());
        }
        return file.isPresent();
    }

    /** As {@link #httpUrl(String, Optional)}; a path that makes no URL is logged, naming the client. */
    private Optional<String> httpUrl(String named, Optional<Inet4Address> bootServer, DhcpClient client) {
        Optional<String> url = httpUrl(named, bootServer);
        if (url.isEmpty()) {
            throttle.warn(LOG, "http-boot-path", "HTTP boot client {} is told no boot file: '{}' is a path, and {}",
                    client.mac(), named, whyNoUrl());
        }
        return url;
    }

    /**
     * What an HTTP boot client is told to fetch: a URL as configured, or for a path in the boot
     * root its URL on the HTTP boot server, at the address the client knows as its boot server.
     * Without an HTTP boot server (feature diskless-http) a path names nothing the client could
     * fetch, so it is told no file ({@link #whyNoUrl()} says why).
     */
    Optional<String> httpUrl(String named, Optional<Inet4Address> bootServer) {
        if (DhcpSettings.isUrl(named)) {
            return Optional.of(named);
        }
        Optional<HttpBootEndpoint> http = services.http().get();
        if (http.isEmpty() || (bootServer.isEmpty() && http.get().address().isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(http.get().url(bootServer.map(InetAddress.class::cast)
                .orElseGet(() -> http.get().address().orElseThrow()), named).toString());
    }

    /** Why a path makes no URL for an HTTP boot client. */
    String whyNoUrl() {
        return services.http().get().isEmpty() ? "no HTTP boot server runs (feature:install diskless-http)"
                : "no next-server is known for its subnet to name in the URL";
    }

    /**
     * Adds the boot answer for a BOOTP client (RFC 951) to {@code reply}: next-server in siaddr and
     * the boot file in the file field, by the rules a DHCP client that is not PXE is answered with.
     * Nothing goes into options, which a BOOTP client may not have room or use for. Returns the
     * file named; a name too long for the 128-byte field is left out, and logged.
     */
    Optional<String> addBootp(DhcpClient client, DhcpMessage.Builder reply) {
        Topology current = topology.get();
        current.nextServer(client.subnet()).ifPresent(reply::siaddr);
        if (!bootsAFile(client)) {
            return Optional.empty();
        }
        Optional<String> file = BootSelector.choose(client.context(), services.loaders().get(), current.settings(),
                client.subnet(), BootSelector.Trace.NONE);
        if (file.isPresent() && file.get().length() >= DhcpMessage.FILE_SIZE) {
            throttle.warn(LOG, "bootp-file", "Boot file {} of {} is too long for the BOOTP file field ({} bytes):"
                    + " the BOOTREPLY names none", file.get(), client.mac(), DhcpMessage.FILE_SIZE - 1);
            return Optional.empty();
        }
        file.ifPresent(reply::bootFileName);
        return file;
    }

    /**
     * A client that is neither PXE nor a node with its own loader is an operating system asking
     * for its address: it is told no boot file.
     */
    private static boolean bootsAFile(DhcpClient client) {
        return client.pxe() || client.node().map(n -> n.bootFiles().containsKey(BootRole.LOADER)).orElse(false);
    }

    /**
     * Option 43 for a BIOS PXE ROM: with a menu, the menu, prompt and our address as the boot
     * server of each entry; without one, "boot the file named in this offer". The MTFTP
     * sub-options go in only when an MTFTP service serves that file.
     */
    private PxeVendorOptions pxeOptions(Topology current, DhcpClient client, Optional<String> file) {
        PxeVendorOptions.Builder pxe = PxeVendorOptions.builder();
        List<DhcpSettings.MenuEntry> menu = current.settings().pxeMenu();
        Optional<MulticastTftp> mtftp = services.mtftp().get();
        if (mtftp.isPresent() && file.isPresent()) {
            Optional<MulticastTftp.Channel> channel;
            try {
                channel = mtftp.get().channelFor(file.get(), client.context());
            } catch (RuntimeException e) {
                // Multicast is only a faster way to the same file: a failing service costs no boot.
                throttle.warn(LOG, "mtftp", "The MTFTP service failed to name a channel for {}; offering it by"
                        + " unicast TFTP: {}", file.get(), e.toString());
                channel = Optional.empty();
            }
            channel.ifPresent(c ->
                    pxe.mtftp(c.group(), c.clientPort(), c.serverPort(), c.openTimeoutSeconds(), c.reopenDelaySeconds()));
        }
        if (menu.isEmpty()) {
            pxe.discoveryControl(PxeVendorOptions.DISABLE_BROADCAST | PxeVendorOptions.DISABLE_MULTICAST
                    | PxeVendorOptions.DOWNLOAD_BOOT_FILE);
            return pxe.build();
        }
        Inet4Address us = current.serverId(client.subnet()).orElse(Addresses.ANY);
        List<PxeVendorOptions.MenuItem> items = new ArrayList<>();
        List<PxeVendorOptions.BootServer> servers = new ArrayList<>();
        for (int i = 0; i < menu.size(); i++) {
            int type = menu.get(i).isLocalBoot() ? LOCAL_BOOT_TYPE : MENU_TYPE_BASE + i;
            items.add(new PxeVendorOptions.MenuItem(type, menu.get(i).description()));
            if (type != LOCAL_BOOT_TYPE) {
                servers.add(new PxeVendorOptions.BootServer(type, List.of(us)));
            }
        }
        DhcpSettings.MenuPrompt prompt = current.settings().pxePrompt()
                .orElse(new DhcpSettings.MenuPrompt(10, DEFAULT_PROMPT));
        pxe.discoveryControl(PxeVendorOptions.DISABLE_BROADCAST | PxeVendorOptions.DISABLE_MULTICAST)
                .bootServers(servers)
                .bootMenu(items)
                .menuPrompt(new PxeVendorOptions.MenuPrompt(prompt.timeoutSeconds(), prompt.text()));
        return pxe.build();
    }
}
