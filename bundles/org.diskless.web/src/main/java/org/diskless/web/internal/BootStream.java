package org.diskless.web.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.servlet.AsyncContext;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootEventListener;
import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.timeline.BootHistory;
import org.diskless.api.timeline.RecordedBoot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The live stream of boots (server-sent events): every boot event marks its client as changed, and
 * a few times a second each changed client's tile goes to every listener as one {@code tile} event.
 * Events come on the protocols' network threads, which only mark; reading the timelines and writing
 * to browsers happen on this stream's own thread, which never waits for a browser: each has its own
 * bounded queue ({@link Subscriber}). Bounded: the clients marked between two sends, the listeners
 * at once, the messages waiting for each.
 *
 * <p>A component of its own, apart from the servlet: the DHCP server takes boot event listeners,
 * and the servlet takes the DHCP server's networks, so one component doing both would be a cycle.
 */
@Component(service = {BootStream.class, BootEventListener.class})
public final class BootStream implements BootEventListener {

    static final int MAX_LISTENERS = 32;
    static final int MAX_PENDING = 10_000;
    static final long SEND_EVERY_MILLIS = 300;
    static final long KEEP_ALIVE_SECONDS = 15;

    private final Set<HardwareAddress> changed = ConcurrentHashMap.newKeySet();
    /** Clients heard from without a MAC (a TFTP read): found by address when the tiles are sent. */
    private final Set<InetAddress> changedAddresses = ConcurrentHashMap.newKeySet();
    private final List<Subscriber> listeners = new CopyOnWriteArrayList<>();
    /** The tile of a client as JSON text, or null for a client that is not a node. */
    private final Function<HardwareAddress, String> tile;
    private final ScheduledExecutorService sender;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodes;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BootHistory history;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LeaseStore leases;

    @Activate
    public BootStream() {
        this.tile = this::tileOf;
        this.sender = startSender();
    }

    /** For tests: tiles from {@code tile}. */
    BootStream(Function<HardwareAddress, String> tile) {
        this.tile = tile;
        this.sender = startSender();
    }

    private ScheduledExecutorService startSender() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "diskless-web-boot-stream");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::sendChanged, SEND_EVERY_MILLIS, SEND_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(() -> sendToAll(": keep-alive\n\n"), KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS,
                TimeUnit.SECONDS);
        return executor;
    }

    /** Marks the client whose boot moved; cheap, never blocks the protocol's thread. */
    @Override
    public void bootEvent(BootEvent event) {
        if (event.hardwareAddress().isPresent()) {
            changed(event.hardwareAddress().get());
        } else if (changedAddresses.size() < MAX_PENDING) {
            changedAddresses.add(event.client());
        }
    }

    /**
     * The MAC of the client at {@code address}, as the timelines attribute an event without one: the
     * node with that fixed address, else the client DHCP leased it to.
     */
    private Optional<HardwareAddress> macAt(InetAddress address) {
        NodeDirectory directory = nodes;
        Optional<HardwareAddress> fixed = directory == null ? Optional.empty()
                : directory.byAddress(address).map(Node::hardwareAddress);
        LeaseStore store = leases;
        if (fixed.isPresent() || store == null || !(address instanceof Inet4Address v4)) {
            return fixed;
        }
        return store.byAddress(v4).map(Lease::hardwareAddress);
    }

    void changed(HardwareAddress client) {
        if (changed.size() < MAX_PENDING) {
            changed.add(client);
        }
    }

    /** The tile of a client that is a node, as JSON text; null for any other client. */
    private String tileOf(HardwareAddress client) {
        NodeDirectory directory = nodes;
        Optional<Node> node = directory == null ? Optional.empty() : directory.byHardwareAddress(client);
        BootHistory boots = history;
        Optional<RecordedBoot> lastBoot = boots == null ? Optional.empty() : boots.lastBoot(client);
        return node.map(n -> Json.tile(n, lastBoot).toString()).orElse(null);
    }

    /** Adds a listener, or says no when there are {@link #MAX_LISTENERS} already. */
    synchronized boolean listen(AsyncContext context) throws IOException {
        if (listeners.size() >= MAX_LISTENERS) {
            return false;
        }
        context.setTimeout(0);
        Subscriber subscriber = new Subscriber(context, listeners::remove);
        listeners.add(subscriber);
        subscriber.start();
        subscriber.offer(": connected\n\n");
        return true;
    }

    /** Clients marked and not sent yet. */
    int pendingCount() {
        return changed.size() + changedAddresses.size();
    }

    int listenerCount() {
        return listeners.size();
    }

    @Deactivate
    void close() {
        sender.shutdownNow();
        for (Subscriber subscriber : listeners) {
            subscriber.close();
        }
        listeners.clear();
    }

    /** Sends the tiles of the clients marked since the last time; on the stream's thread. */
    private void sendChanged() {
        List<InetAddress> addresses = new ArrayList<>(changedAddresses);
        changedAddresses.removeAll(addresses);
        for (InetAddress address : addresses) {
            try {
                macAt(address).ifPresent(changed::add);
            } catch (RuntimeException e) { // a lease store that fails is no reason to stop the stream
                continue;
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        List<HardwareAddress> clients = new ArrayList<>(changed);
        changed.removeAll(clients);
        StringBuilder events = new StringBuilder();
        for (HardwareAddress client : clients) {
            String json;
            try {
                json = tile.apply(client);
            } catch (RuntimeException e) { // a bug reading one client must not stop the stream
                json = null;
            }
            if (json != null) {
                events.append("event: tile\ndata: ").append(json).append("\n\n");
            }
        }
        if (!events.isEmpty()) {
            sendToAll(events.toString());
        }
    }

    /** A listener whose queue is full or whose connection failed has gone: it is dropped, the others go on. */
    private void sendToAll(String text) {
        for (Subscriber subscriber : listeners) {
            subscriber.offer(text);
        }
    }
}
