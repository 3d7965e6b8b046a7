package org.diskless.boot.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.timeline.BootCounts;

/**
 * Every client's recent boots, built from the events of all protocols; how events fall into boots
 * is {@link ClientHistory}'s rule.
 *
 * <p><b>Whose event.</b> An event that carries a MAC belongs to that MAC. One that carries only an
 * address (TFTP of a client the TFTP server could not name) belongs to the MAC that DHCP last
 * acknowledged that address to, else to the node whose fixed address it is, else to the bare
 * address.
 *
 * <p><b>Bounded.</b> At most {@code maxClients} clients (the least recently active is forgotten
 * first), {@code bootsPerNode} boots each, {@code eventsPerBoot} events per boot, and as many
 * acknowledged addresses as clients; and at most {@code maxBytes} of heap for all of it, counted
 * with {@link KeptEvent}'s estimates: beyond it the least recently active clients are forgotten
 * (then the oldest acknowledged addresses, should the client being recorded be the only one left).
 * Every detail is kept as {@link KeptEvent#of} makes it: escaped and capped.
 *
 * <p><b>Threads.</b> Every DHCP and TFTP event loop records here, so there is no lock over the
 * book: each client's history is locked on its own while its event goes in, and the maps are
 * concurrent. Eviction locks one client at a time. The bounds hold whenever no record is under
 * way; while some are, each may be over them by the client it is adding, until it trims.
 */
final class TimelineBook {

    /** An address DHCP acknowledged, to whom, and when (a tick of {@link #clock}). */
    private record Acknowledged(HardwareAddress mac, long tick) {
    }

    private final Function<InetAddress, Optional<HardwareAddress>> fixedAddresses;
    private volatile TimelineSettings settings;
    private final ConcurrentHashMap<ClientKey, ClientHistory> histories = new ConcurrentHashMap<>();
    /**
     * Every recorded client by when it was last recorded, the least recent first; an entry is moved
     * only under its client's lock. Reading (the shell) leaves the order alone.
     */
    private final ConcurrentSkipListMap<Long, ClientHistory> byActivity = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<InetAddress, Acknowledged> acknowledged = new ConcurrentHashMap<>();
    /** The acknowledged addresses by when they were acknowledged; moved only inside the map's compute. */
    private final ConcurrentSkipListMap<Long, InetAddress> acknowledgedInOrder = new ConcurrentSkipListMap<>();
    /** Orders activity: every record and acknowledgement takes the next tick. */
    private final AtomicLong clock = new AtomicLong(ClientHistory.NEVER);
    /** The heap {@link #histories} and {@link #acknowledged} hold, by {@link KeptEvent}'s estimates. */
    private final AtomicLong retainedBytes = new AtomicLong();
    private final BootTally tally = new BootTally();

    /** @param fixedAddresses the MAC of the node whose fixed address this is, from the inventory */
    TimelineBook(TimelineSettings settings, Function<InetAddress, Optional<HardwareAddress>> fixedAddresses) {
        this.settings = settings;
        this.fixedAddresses = fixedAddresses;
    }

    void settings(TimelineSettings next) {
        settings = next;
        trimToBounds(next, null);
    }

    TimelineSettings settings() {
        return settings;
    }

    void record(BootEvent received) {
        TimelineSettings current = settings;
        BootEvent event = KeptEvent.of(received);
        if (event.kind().equals(BootEvent.Kind.ACK) && event.hardwareAddress().isPresent()
                && !event.client().isAnyLocalAddress()) {
            acknowledge(event.client(), event.hardwareAddress().get());
        }
        ClientKey key = keyOf(event);
        ClientHistory history;
        while (true) {
            history = histories.computeIfAbsent(key, ClientHistory::new);
            synchronized (history) {
                if (history.forgotten()) {
                    continue; // evicted between the lookup and the lock: start afresh
                }
                retainedBytes.addAndGet(history.add(event, current, tally));
                if (history.lastActive() != ClientHistory.NEVER) {
                    byActivity.remove(history.lastActive());
                }
                history.active(clock.incrementAndGet());
                byActivity.put(history.lastActive(), history);
                break;
            }
        }
        trimToBounds(current, history);
    }

    /**
     * Puts back boots read from {@link SavedTimelines}, most recently active first, as each client's
     * last boot; a client already recorded since keeps what it has. Then trims to the bounds.
     */
    void restore(List<BootView> lastBoots) {
        TimelineSettings current = settings;
        for (int i = lastBoots.size() - 1; i >= 0; i--) {
            BootView saved = lastBoots.get(i);
            ClientHistory history = new ClientHistory(saved.client());
            if (histories.putIfAbsent(saved.client(), history) != null) {
                continue;
            }
            synchronized (history) {
                retainedBytes.addAndGet(history.restore(new BootRecord(saved, current.eventsPerBoot())));
                history.active(clock.incrementAndGet());
                byActivity.put(history.lastActive(), history);
            }
        }
        trimToBounds(current, null);
    }

    /** Grows with every event recorded: whether anything changed since it was last read. */
    long version() {
        return clock.get();
    }

    private void acknowledge(InetAddress address, HardwareAddress mac) {
        acknowledged.compute(address, (same, previous) -> {
            if (previous == null) {
                retainedBytes.addAndGet(KeptEvent.ACKNOWLEDGED_BYTES);
            } else {
                acknowledgedInOrder.remove(previous.tick());
            }
            long tick = clock.incrementAndGet();
            acknowledgedInOrder.put(tick, same);
            return new Acknowledged(mac, tick);
        });
    }

    /** The client an event belongs to (see the class comment). */
    private ClientKey keyOf(BootEvent event) {
        if (event.hardwareAddress().isPresent()) {
            return new ClientKey.Mac(event.hardwareAddress().get());
        }
        return keyOf(event.client());
    }

    /** The client an address stands for, by the same rules as an event from it. */
    ClientKey keyOf(InetAddress address) {
        Acknowledged acked = acknowledged.get(address);
        if (acked != null) {
            return new ClientKey.Mac(acked.mac());
        }
        return fixedAddresses.apply(address).<ClientKey>map(ClientKey.Mac::new)
                .orElseGet(() -> new ClientKey.Address(address));
    }

    /** The kept boots of a client, newest first. */
    List<BootView> boots(ClientKey client) {
        ClientHistory history = histories.get(client);
        if (history == null) {
            return List.of();
        }
        synchronized (history) {
            return history.forgotten() ? List.of() : history.views();
        }
    }

    /** Every client's last boot, the most recently active client first. */
    List<BootView> lastBoots() {
        List<BootView> views = new ArrayList<>();
        // Descending, a client recorded meanwhile moves behind the cursor: it is listed at most once.
        for (ClientHistory history : byActivity.descendingMap().values()) {
            synchronized (history) {
                BootView latest = history.forgotten() ? null : history.latest();
                if (latest != null) {
                    views.add(latest);
                }
            }
        }
        return views;
    }

    /**
     * Boots begun and finished so far; first finishes the boots whose clients have been quiet for
     * longer than the quiet gap at {@code now}, as the next event of such a client would begin a new one.
     */
    BootCounts counts(Instant now) {
        Duration quietGap = settings.quietGap();
        long inProgress = 0;
        for (ClientHistory history : histories.values()) {
            synchronized (history) {
                if (!history.forgotten() && history.finishIfQuiet(now, quietGap, tally)) {
                    inProgress++;
                }
            }
        }
        return new BootCounts(tally.startedCount(), tally.completedCount(), tally.failedCount(), inProgress,
                tally.durations().snapshot());
    }

    int clientCount() {
        return histories.size();
    }

    /** The heap the kept boots and acknowledged addresses hold, by {@link KeptEvent}'s estimates. */
    long retainedBytes() {
        return retainedBytes.get();
    }

    /**
     * Forgets the least recently active clients while there are too many or they hold too much,
     * but never {@code recorded}, the client just recorded (the settings leave room for one whole
     * history); then the oldest acknowledged addresses, the same way.
     */
    private void trimToBounds(TimelineSettings bounds, ClientHistory recorded) {
        while (histories.size() > bounds.maxClients() || retainedBytes.get() > bounds.maxBytes()) {
            Map.Entry<Long, ClientHistory> oldest = byActivity.firstEntry();
            if (oldest == null || oldest.getValue() == recorded) {
                break; // nobody else to forget (a client just created is not in the order yet)
            }
            ClientHistory victim = oldest.getValue();
            synchronized (victim) {
                if (victim.forgotten() || victim.lastActive() != oldest.getKey()) {
                    continue; // recorded since: no longer the least recent
                }
                victim.forget(tally);
                byActivity.remove(oldest.getKey());
                histories.remove(victim.client(), victim);
                retainedBytes.addAndGet(-victim.retainedBytes());
            }
        }
        while (acknowledged.size() > bounds.maxClients() || retainedBytes.get() > bounds.maxBytes()) {
            Map.Entry<Long, InetAddress> oldest = acknowledgedInOrder.pollFirstEntry();
            if (oldest == null) {
                break;
            }
            boolean[] removed = {false};
            acknowledged.computeIfPresent(oldest.getValue(), (address, acked) -> {
                removed[0] = acked.tick() == oldest.getKey();
                return removed[0] ? null : acked; // else acknowledged again since: that is a newer entry
            });
            if (removed[0]) {
                retainedBytes.addAndGet(-KeptEvent.ACKNOWLEDGED_BYTES);
            }
        }
    }
}
