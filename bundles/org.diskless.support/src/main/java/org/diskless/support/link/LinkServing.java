package org.diskless.support.link;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.diskless.api.HardwareAddress;
import org.diskless.link.EthernetLinks;
import org.diskless.link.EthernetPort;
import org.diskless.link.LinkException;
import org.diskless.support.log.LogThrottle;
import org.slf4j.Logger;

/**
 * One protocol served on one interface through the raw-link SPI, as RMP and RARP are: without an
 * interface it is idle and says so; an interface that cannot be opened (missing, no
 * {@code CAP_NET_RAW}) is logged once per reason and retried every ten seconds while
 * the rest of the server runs; frames are taken on a thread of the port's own and handed to the
 * protocol, whose reply goes back out of the same port. A frame the protocol fails on costs that
 * frame, never the thread; lines a frame can cause are logged at most once a minute.
 */
public final class LinkServing {

    /** What the protocol does with the frames; called on the receiving thread only. */
    public interface Protocol {

        /**
         * Answers the frame between {@code frame}'s position and limit, which arrived on
         * {@code port}, by writing the reply frame into {@code reply} from its position (at least
         * {@link EthernetPort#MAX_FRAME} bytes free, padding included).
         *
         * @return whether a reply was written
         */
        boolean answer(ByteBuffer frame, EthernetPort port, ByteBuffer reply);

        /** A reply {@link #answer} wrote could not be sent (counted by the protocol; logged here). */
        void notSent();
    }

    private static final Duration RETRY = Duration.ofSeconds(10);
    private static final Duration RECEIVE_WAIT = Duration.ofMillis(250);

    private final String name;
    private final String configFile;
    private final EthernetLinks links;
    private final int etherType;
    private final List<HardwareAddress> groups;
    private final Protocol protocol;
    private final ScheduledExecutorService scheduler;
    private final Logger log;
    private final Duration retryEvery;

    private Optional<String> wanted = Optional.empty(); // guarded by this
    private Receiver receiver;                          // guarded by this
    private ScheduledFuture<?> retry;                   // guarded by this
    private String lastOpenFailure;                     // guarded by this

    /**
     * @param name       how log lines and thread names call the protocol, e.g. {@code RMP}
     * @param configFile where the operator names the interface, for the log lines that say so
     * @param etherType  what the port receives: an EtherType or {@link EthernetLinks#PROTOCOL_802_2}
     * @param groups     link-layer multicast groups to receive as well
     * @param scheduler  runs the retries
     */
    public LinkServing(String name, String configFile, EthernetLinks links, int etherType,
            List<HardwareAddress> groups, Protocol protocol, ScheduledExecutorService scheduler, Logger log) {
        this(name, configFile, links, etherType, groups, protocol, scheduler, log, RETRY);
    }

    LinkServing(String name, String configFile, EthernetLinks links, int etherType, List<HardwareAddress> groups,
            Protocol protocol, ScheduledExecutorService scheduler, Logger log, Duration retryEvery) {
        this.name = name;
        this.configFile = configFile;
        this.links = links;
        this.etherType = etherType;
        this.groups = List.copyOf(groups);
        this.protocol = protocol;
        this.scheduler = scheduler;
        this.log = log;
        this.retryEvery = retryEvery;
    }

    /** Stops serving where it did; then serves on {@code interfaceName}, retrying until it can, or is idle. */
    public synchronized void serveOn(Optional<String> interfaceName) {
        stop();
        wanted = interfaceName;
        lastOpenFailure = null;
        if (interfaceName.isEmpty()) {
            log.info("{} is idle: no interface configured (set 'interface' in {})", name, configFile);
            return;
        }
        if (!open(interfaceName.get())) {
            retry = scheduler.scheduleWithFixedDelay(() -> retry(interfaceName.get()), retryEvery.toMillis(),
                    retryEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The interface frames are taken on, or empty while idle or retrying. */
    public synchronized Optional<String> servingOn() {
        return receiver == null ? Optional.empty() : Optional.of(receiver.port.interfaceName());
    }

    /** Stops receiving, closes the port and cancels a pending retry. */
    public synchronized void stop() {
        wanted = Optional.empty();
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        if (receiver != null) {
            receiver.stop();
            receiver = null;
        }
    }

    private synchronized void retry(String interfaceName) {
        // A retry that started before serveOn or stop replaced it must not open the old interface.
        if (wanted.equals(Optional.of(interfaceName)) && receiver == null && open(interfaceName) && retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private boolean open(String interfaceName) {
        EthernetPort port;
        try {
            port = links.open(interfaceName, etherType, groups);
        } catch (LinkException e) {
            if (!Objects.equals(e.getMessage(), lastOpenFailure)) {
                lastOpenFailure = e.getMessage();
                log.error("{} cannot serve on {}: {}. Retrying every {} s; the rest of the server keeps running"
                        + " (check 'interface' in {})", name, interfaceName, e.getMessage(), retryEvery.toSeconds(),
                        configFile);
            }
            return false;
        }
        receiver = new Receiver(port);
        log.info("{} serving on {} ({}){}", name, interfaceName, port.hardwareAddress(), groups.isEmpty() ? ""
                : groups.stream().map(HardwareAddress::toString).collect(Collectors.joining(", ", ", multicast ", "")));
        return true;
    }

    /** The thread that takes frames off one port, has them answered and sends the replies. */
    private final class Receiver {
        private final EthernetPort port;
        private final Thread thread;
        private final LogThrottle lines = new LogThrottle(Duration.ofMinutes(1));
        private volatile boolean running = true;

        Receiver(EthernetPort port) {
            this.port = port;
            this.thread = new Thread(this::run, "diskless-" + name.toLowerCase(java.util.Locale.ROOT) + "-"
                    + port.interfaceName());
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
            try {
                thread.join(RECEIVE_WAIT.toMillis() * 8);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            port.close();
        }

        private void run() {
            ByteBuffer in = ByteBuffer.allocate(EthernetPort.MAX_FRAME + 4);
            ByteBuffer out = ByteBuffer.allocate(EthernetPort.MAX_FRAME);
            String lastFailure = null;
            while (running) {
                in.clear();
                int length;
                try {
                    length = port.receive(in, RECEIVE_WAIT);
                } catch (IOException e) {
                    if (!running) {
                        return;
                    }
                    if (!Objects.equals(lastFailure, e.getMessage())) {
                        lastFailure = e.getMessage();
                        log.error("{} receive on {} failed: {}; retrying", name, port.interfaceName(), e.getMessage());
                    }
                    pause();
                    continue;
                }
                if (length > 0) {
                    in.flip();
                    out.clear();
                    answer(in, out);
                }
            }
        }

        private void answer(ByteBuffer in, ByteBuffer out) {
            boolean reply;
            try {
                reply = protocol.answer(in, port, out);
            } catch (RuntimeException e) {
                // A bug must cost one frame, never the server.
                lines.error(log, "bug", "{} frame on {} could not be answered", name, port.interfaceName(), e);
                return;
            }
            if (!reply) {
                return;
            }
            out.flip();
            try {
                port.send(out);
            } catch (IOException e) {
                protocol.notSent();
                lines.warn(log, "send", "{} reply to {} not sent: {}", name, destination(out), e.getMessage());
            }
        }

        private void pause() {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }

    private static String destination(ByteBuffer frame) {
        if (frame.limit() < 6) {
            return "?";
        }
        byte[] mac = new byte[6];
        frame.get(0, mac);
        return HardwareAddress.ethernet(mac).toString();
    }
}
