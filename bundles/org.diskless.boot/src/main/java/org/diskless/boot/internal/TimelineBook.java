package org.diskless.boot.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;

/**
 * Every client's recent boots, built from the events of all protocols.
 *
 * <p><b>Whose event.</b> An event that carries a MAC belongs to that MAC. One that carries only an
 * address (TFTP of a client the TFTP server could not name) belongs to the MAC that DHCP last
 * acknowledged that address to, else to the node whose fixed address it is, else to the bare
 * address.
 *
 * <p><b>Which boot.</b> An event starts a new boot of its client when
 * <ol>
 * <li>the client has none yet, or</li>
 * <li>it comes more than {@code quietGap} after the boot's last event, or</li>
 * <li>it is a DHCP or ProxyDHCP DISCOVER — except a DISCOVER that repeats one while the boot has
 *     got no further than DISCOVER/OFFER (a client retrying), and a DISCOVER within
 *     {@code chainloadWindow} of a file just sent (what was sent — iPXE, GRUB, a kernel with
 *     {@code ip=dhcp} — now asks DHCP itself; it is still the same power-on).</li>
 * </ol>
 *
 * <p><b>Bounded.</b> At most {@code maxClients} clients (the least recently active is forgotten
 * first), {@code bootsPerNode} boots each, {@code eventsPerBoot} events per boot, and as many
 * acknowledged addresses as clients; and at most {@code maxBytes} of heap for all of it, counted
 * with {@link KeptEvent}'s estimates: beyond it the least recently active clients are forgotten
 * (then the oldest acknowledged addresses, should the client being recorded be the only one left).
 * Every detail is kept as {@link KeptEvent#of} makes it: escaped and capped.
 */
final class TimelineBook {

    private final Function<InetAddress, Optional<HardwareAddress>> fixedAddresses;
    private volatile TimelineSettings settings;
    /**
     * Kept in the order clients were last heard from, the least recent first: {@link #record} moves
     * a client to the end, while reading (the shell) leaves the order alone.
     */
    private final LinkedHashMap<ClientKey, ArrayDeque<BootRecord>> histories = new LinkedHashMap<>();
    private final LinkedHashMap<InetAddress, HardwareAddress> acknowledged = new LinkedHashMap<>();
    /** The heap {@link #histories} and {@link #acknowledged} hold, by {@link KeptEvent}'s estimates. */
    private long retainedBytes;

    /** @param fixedAddresses the MAC of the node whose fixed address this is, from the inventory */
    TimelineBook(TimelineSettings settings, Function<InetAddress, Optional<HardwareAddress>> fixedAddresses) {
        this.settings = settings;
        this.fixedAddresses = fixedAddresses;
    }

    void settings(TimelineSettings next) {
        synchronized (this) {
            settings = next;
            trimToBounds(next);
        }
    }

    TimelineSettings settings() {
        return settings;
    }

    synchronized void record(BootEvent received) {
        TimelineSettings current = settings;
        BootEvent event = KeptEvent.of(received);
        if (event.kind() == BootEvent.Kind.ACK && event.hardwareAddress().isPresent()
                && !event.client().isAnyLocalAddress()) {
            if (acknowledged.remove(event.client()) == null) {
                retainedBytes += KeptEvent.ACKNOWLEDGED_BYTES;
            }
            acknowledged.put(event.client(), event.hardwareAddress().get());
        }
        ClientKey key = keyOf(event);
        ArrayDeque<BootRecord> boots = histories.remove(key);
        if (boots == null) {
            boots = new ArrayDeque<>();
            retainedBytes += KeptEvent.CLIENT_BYTES;
        }
        histories.put(key, boots);
        BootRecord latest = boots.peekLast();
        if (latest == null || startsNewBoot(latest, event, current)) {
            BootRecord boot = new BootRecord(key, event, current.eventsPerBoot());
            boots.addLast(boot);
            retainedBytes += boot.retainedBytes();
            while (boots.size() > current.bootsPerNode()) {
                retainedBytes -= boots.removeFirst().retainedBytes();
            }
        } else {
            long before = latest.retainedBytes();
            latest.add(event);
            retainedBytes += latest.retainedBytes() - before;
        }
        trimToBounds(current);
    }

    static boolean startsNewBoot(BootRecord boot, BootEvent event, TimelineSettings settings) {
        Duration quiet = Duration.between(boot.last().time(), event.time());
        if (quiet.isNegative()) {
            quiet = Duration.ZERO; // events of two protocols may arrive a little out of order
        }
        if (quiet.compareTo(settings.quietGap()) > 0) {
            return true;
        }
        boolean discover = event.kind() == BootEvent.Kind.DISCOVER
                && (event.protocol() == BootProtocol.DHCP || event.protocol() == BootProtocol.PROXY_DHCP);
        if (!discover) {
            return false;
        }
        if (!boot.pastDiscovery()) {
            return false;
        }
        boolean chainload = boot.last().kind() == BootEvent.Kind.FILE_SENT
                && quiet.compareTo(settings.chainloadWindow()) <= 0;
        return !chainload;
    }

    /** The client an event belongs to (see the class comment). */
    private ClientKey keyOf(BootEvent event) {
        if (event.hardwareAddress().isPresent()) {
            return new ClientKey.Mac(event.hardwareAddress().get());
        }
        return keyOf(event.client());
    }

    /** The client an address stands for, by the same rules as an event from it. */
    synchronized ClientKey keyOf(InetAddress address) {
        HardwareAddress acked = acknowledged.get(address);
        if (acked != null) {
            return new ClientKey.Mac(acked);
        }
        return fixedAddresses.apply(address).<ClientKey>map(ClientKey.Mac::new)
                .orElseGet(() -> new ClientKey.Address(address));
    }

    /** The kept boots of a client, newest first. */
    synchronized List<BootView> boots(ClientKey client) {
        ArrayDeque<BootRecord> boots = histories.get(client);
        List<BootView> views = new ArrayList<>();
        if (boots != null) {
            boots.descendingIterator().forEachRemaining(boot -> views.add(boot.view()));
        }
        return views;
    }

    /** Every client's last boot, the most recently active client first. */
    synchronized List<BootView> lastBoots() {
        List<BootView> views = new ArrayList<>(histories.size());
        for (ArrayDeque<BootRecord> boots : histories.values()) {
            views.add(boots.getLast().view());
        }
        Collections.reverse(views);
        return views;
    }

    synchronized int clientCount() {
        return histories.size();
    }

    /** The heap the kept boots and acknowledged addresses hold, by {@link KeptEvent}'s estimates. */
    synchronized long retainedBytes() {
        return retainedBytes;
    }

    /**
     * Forgets the least recently active clients while there are too many or they hold too much,
     * but never the last one left (the one just recorded: the settings leave room for one whole
     * history); then the oldest acknowledged addresses, the same way.
     */
    private void trimToBounds(TimelineSettings bounds) {
        Iterator<ArrayDeque<BootRecord>> clients = histories.values().iterator();
        while ((histories.size() > bounds.maxClients() || retainedBytes > bounds.maxBytes())
                && histories.size() > 1) {
            retainedBytes -= clientBytes(clients.next());
            clients.remove();
        }
        Iterator<InetAddress> addresses = acknowledged.keySet().iterator();
        while ((acknowledged.size() > bounds.maxClients() || retainedBytes > bounds.maxBytes())
                && addresses.hasNext()) {
            addresses.next();
            addresses.remove();
            retainedBytes -= KeptEvent.ACKNOWLEDGED_BYTES;
        }
    }

    private static long clientBytes(ArrayDeque<BootRecord> boots) {
        long bytes = KeptEvent.CLIENT_BYTES;
        for (BootRecord boot : boots) {
            bytes += boot.retainedBytes();
        }
        return bytes;
    }
}
