package org.diskless.dhcp.internal;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.diskless.api.boot.BootEvent;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.codec.PxeClientClass;
import org.diskless.dhcp.codec.PxeVendorOptions;
import org.diskless.dhcp.internal.DhcpStatistics.Drop;

/**
 * The PXE side that hands out no address: the ProxyDHCP offer on port 67 beside another DHCP
 * server, and the boot server on port 4011 (PXE 2.1), which answers in either mode. Neither
 * touches the lease book or the lease store.
 */
final class BootServer {

    private final Supplier<Topology> topology;
    private final DhcpStatistics statistics;
    private final BootAnswers answers;
    private final Replies replies;

    BootServer(Supplier<Topology> topology, DhcpStatistics statistics, BootAnswers answers, Replies replies) {
        this.topology = topology;
        this.statistics = statistics;
        this.answers = answers;
        this.replies = replies;
    }

    /** ProxyDHCP on port 67: a PXE client's DISCOVER gets the boot answer and no address. */
    void proxyOffer(DhcpClient client, DhcpMessageType type, DhcpProcessor.Outbox outbox) {
        if (type != DhcpMessageType.DISCOVER) {
            statistics.dropped(Drop.IGNORED);
            return;
        }
        if (!client.request().options().pxeClientClass().isPresent()) {
            statistics.dropped(Drop.NOT_PXE);
            return;
        }
        if (replies.refusedAsUnknown(client)) {
            return;
        }
        replies.event(client, BootEvent.Kind.DISCOVER, client::describe);
        DhcpMessage.Builder offer = DhcpMessage.replyTo(client.request())
                .options(o -> {
                    o.messageType(DhcpMessageType.OFFER);
                    topology.get().serverId(client.subnet()).ifPresent(o::serverIdentifier);
                });
        if (!answers.add(client, offer, true)) {
            statistics.dropped(Drop.NO_BOOT_FILE);
            return;
        }
        DhcpMessage built = offer.build();
        replies.send(client, built, outbox);
        replies.event(client, BootEvent.Kind.OFFER, () -> "boot answer only" + Replies.bootNote(built));
    }

    /**
     * Port 4011: the PXE boot server exchange. A client that got an offer without boot
     * instructions (UEFI behind another DHCP server) or picked a menu entry asks here, by unicast,
     * and gets the file in an ACK.
     */
    void request(DhcpClient client, DhcpMessageType type, DhcpProcessor.Outbox outbox) {
        if (type != DhcpMessageType.REQUEST && type != DhcpMessageType.INFORM) {
            statistics.dropped(Drop.IGNORED);
            return;
        }
        if (!client.pxe()) {
            statistics.dropped(Drop.NOT_PXE);
            return;
        }
        if (replies.refusedAsUnknown(client)) {
            return;
        }
        replies.event(client, BootEvent.Kind.REQUEST, () -> "boot server request" + client.describe());
        Topology current = topology.get();
        DhcpMessage.Builder ack = DhcpMessage.replyTo(client.request())
                .ciaddr(client.request().ciaddr())
                .options(o -> {
                    o.messageType(DhcpMessageType.ACK);
                    current.serverId(client.subnet()).ifPresent(o::serverIdentifier);
                });
        Optional<PxeVendorOptions.BootItem> item = client.request().options().pxeVendorOptions()
                .flatMap(PxeVendorOptions::bootItem);
        if (item.isPresent() && item.get().type() != PxeVendorOptions.BOOTSTRAP_SERVER) {
            int index = item.get().type() - BootAnswers.MENU_TYPE_BASE;
            List<DhcpSettings.MenuEntry> menu = current.settings().pxeMenu();
            if (index < 0 || index >= menu.size() || menu.get(index).isLocalBoot()) {
                statistics.dropped(Drop.NO_BOOT_FILE);
                return;
            }
            String file = menu.get(index).bootFile();
            current.nextServer(client.subnet()).ifPresent(ack::siaddr);
            ack.bootFileName(file).options(o -> o.vendorClassIdentifier(PxeClientClass.PXE_CLIENT)
                    .vendorSpecific(PxeVendorOptions.builder().bootItem(item.get()).build()));
        } else if (!answers.add(client, ack, true)) {
            statistics.dropped(Drop.NO_BOOT_FILE);
            return;
        }
        DhcpMessage built = ack.build();
        replies.sendTo(client, built, client.sender(), outbox);
        replies.event(client, BootEvent.Kind.ACK, () -> "boot server" + Replies.bootNote(built));
    }
}
