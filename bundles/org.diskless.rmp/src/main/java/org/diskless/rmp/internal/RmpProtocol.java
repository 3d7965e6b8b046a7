package org.diskless.rmp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.nodes.Node;
import org.diskless.rmp.codec.RmpCodec;
import org.diskless.rmp.codec.RmpFrame;
import org.diskless.rmp.codec.RmpPacket.BootComplete;
import org.diskless.rmp.codec.RmpPacket.BootReply;
import org.diskless.rmp.codec.RmpPacket.BootRequest;
import org.diskless.rmp.codec.RmpPacket.ReadRequest;
import org.diskless.rmp.codec.RmpPacket;
import org.diskless.rmp.codec.RmpRetcode;
import org.diskless.rmp.internal.RmpCounters.Counter;
import org.diskless.support.log.LogThrottle;
import org.diskless.support.log.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server answers to each frame, as rbootd did: server identify and boot-file-list
 * probes, boot requests that open a session, read requests at any offset, boot complete. Only
 * machines the {@link CnodeTable} knows get any answer. Runs on the receiving thread; the sweep
 * of idle sessions may run on another, hence the lock around the session table.
 *
 * <p>Whoever is on the link can send anything, so: a frame whose source is a group address or our
 * own is dropped (a reply would go to every machine, or to us); a machine has one session, and one
 * that never reads is closed after {@code unreadSessionTimeout}, or sooner when the table is full
 * and a boot request needs its place; log lines a client can cause are throttled, and names it
 * sends are escaped before they are logged or published.
 */
final class RmpProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(RmpProtocol.class);
    private static final InetAddress NO_IP_ADDRESS = new InetSocketAddress(0).getAddress();
    /** A name an RMP frame carries is up to 255 bytes; a log line shows this much of it. */
    static final int MAX_NAME_CHARS = 80;

    private final Supplier<ServingState> state;
    private final Function<HardwareAddress, Optional<Node>> inventory;
    private final BootFileResolver resolver;
    private final Consumer<BootEvent> events;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final RmpCounters counters;
    /** Lines about frames that should not happen (strangers, broken sessions): one a minute per kind. */
    private final LogThrottle anomalies = new LogThrottle(Duration.ofMinutes(1));
    /** Lines about sessions coming and going: one a second per kind, however many clients boot. */
    private final LogThrottle sessionLines = new LogThrottle(Duration.ofSeconds(1));
    private final Map<HardwareAddress, Session> sessions = new LinkedHashMap<>();
    private int lastSessionId;

    RmpProtocol(Supplier<ServingState> state, Function<HardwareAddress, Optional<Node>> inventory,
            BootFileResolver resolver, Consumer<BootEvent> events, LongSupplier nanoTime, Clock clock,
            RmpCounters counters) {
        this.state = state;
        this.inventory = inventory;
        this.resolver = resolver;
        this.events = events;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.counters = counters;
    }

    /**
     * Answers one frame from the wire.
     *
     * @param server our own address, the source of the reply
     * @param out    where the reply frame is written (from its position; at least 1514 bytes free)
     * @return true if a reply was written to {@code out}
     */
    boolean handle(RmpFrame request, HardwareAddress server, ByteBuffer out) {
        if (!request.isToServer()) {
            return false; // another server's reply to a client, seen on the multicast group
        }
        HardwareAddress client = request.source();
        counters.add(Counter.REQUESTS);
        if (isGroup(client) || client.equals(server)) {
            boolean ours = client.equals(server);
            counters.add(ours ? Counter.DROPPED_OWN_SOURCE : Counter.DROPPED_GROUP_SOURCE);
            anomalies.warn(LOG, ours ? "own-source" : "group-source", "RMP frame with source {} dropped: a reply"
                    + " would go {}", client, ours ? "to ourselves" : "to every machine of that group");
            return false;
        }
        RmpPacket packet = request.packet();
        ServingState now = state.get();
        String machineType = packet instanceof BootRequest boot ? boot.machineType() : "";
        Optional<Node> node = inventory.apply(client);
        CnodeTable.Lookup lookup = now.cnodes().find(client, machineType, node);
        if (lookup.cnode().isEmpty()) {
            counters.add(Counter.IGNORED_UNKNOWN);
            anomalies.info(LOG, "ignored", "RMP frame from {} ignored: {}", client,
                    lookup.refusal().orElse("not a configured cnode (answerAny is off)"));
            return false;
        }
        Cnode cnode = lookup.cnode().get();
        boolean answered;
        if (packet instanceof BootRequest boot) {
            answered = boot.isProbe() ? probe(boot, cnode, client, server, now, out)
                    : bootRequest(boot, cnode, node, client, server, now, out);
        } else if (packet instanceof ReadRequest read) {
            answered = readRequest(read, client, server, out);
        } else if (packet instanceof BootComplete complete) {
            bootComplete(complete, client);
            answered = false;
        } else {
            anomalies.warn(LOG, "unexpected", "{} sent an RMP {} to the server; only boot ROMs' requests are"
                    + " answered", client, packet.getClass().getSimpleName());
            answered = false;
        }
        if (answered) {
            counters.add(Counter.REPLIES);
        }
        return answered;
    }

    private boolean probe(BootRequest probe, Cnode cnode, HardwareAddress client, HardwareAddress server,
            ServingState now, ByteBuffer out) {
        if (probe.sequence() == 0) {
            LOG.debug("{} ({}) asked who we are: {}", client, cnode.name(), now.hostName());
            reply(out, client, server, new BootReply(RmpRetcode.OKAY, 0, 0, RmpPacket.VERSION, now.hostName()));
            return true;
        }
        long number = probe.sequence();
        List<String> offered = cnode.offered();
        if (number <= offered.size()) {
            String name = Cnode.baseName(offered.get((int) number - 1));
            reply(out, client, server, new BootReply(RmpRetcode.OKAY, number, 0, RmpPacket.VERSION, name));
        } else {
            reply(out, client, server, new BootReply(RmpRetcode.NODFLT, number, 0, RmpPacket.VERSION, ""));
        }
        return true;
    }

    private boolean bootRequest(BootRequest request, Cnode cnode, Optional<Node> node, HardwareAddress client,
            HardwareAddress server, ServingState now, ByteBuffer out) {
        Session replaced;
        synchronized (sessions) {
            replaced = sessions.remove(client);
        }
        if (replaced != null) {
            counters.add(Counter.SESSIONS_REPLACED);
            sessionLines.info(LOG, "replaced", "{} ({}) asked to boot again: session {} for {} dropped", client,
                    cnode.name(), replaced.id, printable(replaced.requestedName));
            replaced.close();
            publish(BootEvent.Kind.SESSION_CLOSED, client, node, "replaced by a new boot request ("
                    + printable(replaced.requestedName) + ")", replaced.bytesSent(),
                    replaced.age(nanoTime.getAsLong()));
        }
        String requested = request.fileName();
        if (requested.isEmpty() && !cnode.offered().isEmpty()) {
            requested = Cnode.baseName(cnode.offered().get(0)); // PA-RISC ROMs name no file: the first one
        }
        String wanted = Cnode.baseName(requested);
        Optional<String> allowed = cnode.allowedFile(wanted);
        if (allowed.isEmpty()) {
            return refuse(request, requested, RmpRetcode.NOFILE, cnode, node, client, server, out,
                    "'" + printable(wanted) + "' is not a boot file of " + cnode.name() + " (" + cnode.origin()
                            + " allows " + cnode.allowed() + ")");
        }
        if (!roomForOneMore(now.settings())) {
            counters.add(Counter.BOOTS_REFUSED_BUSY);
            return refuse(request, requested, RmpRetcode.BUSY, cnode, node, client, server, out,
                    "all " + now.settings().maxSessions() + " sessions are in use and reading (maxSessions)");
        }
        String path = pathOf(allowed.get(), now.settings());
        BootFile file;
        BootFileContent content;
        try {
            file = resolver.resolve(path, context(cnode, node, client, request.machineType()));
            content = file.open();
        } catch (BootFileException e) {
            RmpRetcode code = e.reason() == BootFileException.Reason.NOT_FOUND ? RmpRetcode.NOFILE : RmpRetcode.OPENFILE;
            return refuse(request, requested, code, cnode, node, client, server, out, e.getMessage());
        } catch (IOException e) {
            return refuse(request, requested, RmpRetcode.OPENFILE, cnode, node, client, server, out,
                    "cannot open " + path + ": " + e.getMessage());
        }
        Session session;
        synchronized (sessions) {
            session = new Session(nextSessionId(), client, cnode, requested, file, content, clock.instant(),
                    nanoTime.getAsLong());
            sessions.put(client, session);
        }
        counters.add(Counter.SESSIONS_OPENED);
        sessionLines.info(LOG, "opened", "{} ({}) boots {} ({} bytes, session {})", client, cnode.name(), file.path(),
                file.size(), session.id);
        publish(BootEvent.Kind.SESSION_OPENED, client, node, file.path() + " (" + file.size() + " bytes)", 0,
                Duration.ZERO);
        reply(out, client, server, new BootReply(RmpRetcode.OKAY, request.sequence(), session.id, RmpPacket.VERSION,
                requested));
        return true;
    }

    /**
     * Whether a boot request may open a session: below {@code maxSessions}, or once the oldest
     * session that never read has been closed to make room (a boot ROM reads at once, so a session
     * that has not is a client gone, or a flood of boot requests from made-up addresses).
     */
    private boolean roomForOneMore(RmpSettings settings) {
        Session evicted = null;
        synchronized (sessions) {
            if (sessions.size() < settings.maxSessions()) {
                return true;
            }
            for (Session session : sessions.values()) { // in opening order
                if (!session.hasRead()) {
                    evicted = session;
                    break;
                }
            }
            if (evicted == null) {
                return false;
            }
            sessions.remove(evicted.mac);
        }
        evicted.close();
        counters.add(Counter.SESSIONS_EVICTED);
        sessionLines.warn(LOG, "evicted", "{} ({}): session {} for {} closed before its first read, to make room"
                + " for another boot request (all {} sessions were in use)", evicted.mac, evicted.cnode.name(),
                evicted.id, evicted.file.path(), settings.maxSessions());
        publish(BootEvent.Kind.SESSION_CLOSED, evicted.mac, inventory.apply(evicted.mac), "closed unread: "
                + evicted.file.path(), 0, evicted.age(nanoTime.getAsLong()));
        return true;
    }

    private boolean refuse(BootRequest request, String requested, RmpRetcode code, Cnode cnode, Optional<Node> node,
            HardwareAddress client, HardwareAddress server, ByteBuffer out, String why) {
        if (code != RmpRetcode.BUSY) {
            counters.add(Counter.BOOTS_REFUSED);
        }
        sessionLines.info(LOG, "refused", "{} ({}) may not boot '{}': {} ({})", client, cnode.name(),
                printable(requested), why, code);
        publish(BootEvent.Kind.FILE_FAILED, client, node, printable(requested) + ": " + why, 0, Duration.ZERO);
        reply(out, client, server, new BootReply(code, request.sequence(), 0, RmpPacket.VERSION, requested));
        return true;
    }

    private boolean readRequest(ReadRequest read, HardwareAddress client, HardwareAddress server, ByteBuffer out) {
        Session session;
        synchronized (sessions) {
            session = sessions.get(client);
        }
        counters.add(Counter.READS);
        if (session == null) {
            anomalies.info(LOG, "no-session", "{} sent a read request without a session: ABORT", client);
            readReply(out, client, server, RmpRetcode.ABORT, read);
            return true;
        }
        if (read.session() != session.id) {
            anomalies.info(LOG, "bad-session", "{} read with session id {}, but its session is {}: BADSID", client,
                    read.session(), session.id);
            readReply(out, client, server, RmpRetcode.BADSID, read);
            return true;
        }
        session.read(nanoTime.getAsLong());
        int size = Math.min(read.size(), RmpCodec.MAX_READ_DATA);
        int start = out.position();
        RmpCodec.encodeReadReplyHeader(client, server, RmpRetcode.OKAY, read.offset(), read.session(), size, out);
        int dataStart = out.position();
        int length = 0;
        try {
            if (read.offset() < session.file.size()) {
                ByteBuffer data = out.slice(dataStart, size);
                while (data.hasRemaining()) {
                    int n = session.content.read(data, read.offset() + data.position());
                    if (n < 0) {
                        break;
                    }
                }
                length = data.position();
            }
        } catch (IOException e) {
            anomalies.warn(LOG, "read-failed", "{}: reading {} at {} failed: {}; ABORT", client, session.file.path(),
                    read.offset(), e.getMessage());
            out.position(start);
            readReply(out, client, server, RmpRetcode.ABORT, read);
            return true;
        }
        if (length == 0) {
            out.position(start);
            readReply(out, client, server, RmpRetcode.EOF, read);
            return true;
        }
        if (length < size) { // the file ended inside this reply: the length field must say so
            RmpCodec.setReadReplyDataLength(out, start, length);
        }
        out.position(Math.max(dataStart + length, start + RmpCodec.MIN_FRAME));
        counters.add(Counter.BYTES_SENT, length);
        if (session.sent(read.offset(), length)) {
            publish(BootEvent.Kind.FILE_SENT, client, inventory.apply(client), session.file.path(),
                    session.file.size(), session.age(nanoTime.getAsLong()));
        }
        return true;
    }

    private void bootComplete(BootComplete complete, HardwareAddress client) {
        Session session;
        synchronized (sessions) {
            session = sessions.get(client);
            if (session != null && session.id == complete.session()) {
                sessions.remove(client);
            }
        }
        if (session == null) {
            anomalies.info(LOG, "complete-no-session", "{} sent boot complete without a session; ignored", client);
            return;
        }
        if (session.id != complete.session()) {
            anomalies.info(LOG, "complete-bad-session", "{} sent boot complete for session {}, but its session is"
                    + " {}; ignored", client, complete.session(), session.id);
            return;
        }
        session.close();
        counters.add(Counter.SESSIONS_COMPLETED);
        Duration took = session.age(nanoTime.getAsLong());
        sessionLines.info(LOG, "complete", "{} ({}) boot complete: {} ({} bytes sent in {} ms)", client,
                session.cnode.name(), session.file.path(), session.bytesSent(), took.toMillis());
        publish(BootEvent.Kind.SESSION_CLOSED, client, inventory.apply(client), "boot complete: "
                + session.file.path(), session.bytesSent(), took);
    }

    /**
     * Closes sessions idle longer than {@code sessionTimeout}, or, if they never read, than
     * {@code unreadSessionTimeout}; returns how many.
     */
    int expireIdle() {
        long now = nanoTime.getAsLong();
        RmpSettings settings = state.get().settings();
        List<Session> expired = new ArrayList<>();
        synchronized (sessions) {
            sessions.values().removeIf(session -> {
                if (session.idle(now).compareTo(timeoutOf(session, settings)) > 0) {
                    expired.add(session);
                    return true;
                }
                return false;
            });
        }
        for (Session session : expired) {
            session.close();
            counters.add(Counter.SESSIONS_TIMED_OUT);
            sessionLines.warn(LOG, "timed-out", "{} ({}): session {} for {} timed out after {} s without a{} request",
                    session.mac, session.cnode.name(), session.id, session.file.path(),
                    timeoutOf(session, settings).toSeconds(), session.hasRead() ? "" : " first read");
            publish(BootEvent.Kind.SESSION_CLOSED, session.mac, inventory.apply(session.mac),
                    "timed out: " + session.file.path(), session.bytesSent(), session.age(now));
        }
        return expired.size();
    }

    private static Duration timeoutOf(Session session, RmpSettings settings) {
        return session.hasRead() || settings.unreadSessionTimeout().compareTo(settings.sessionTimeout()) > 0
                ? settings.sessionTimeout() : settings.unreadSessionTimeout();
    }

    /** Open sessions now. */
    int openSessions() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    /** Closes every session (the server stops or changes interface). */
    void closeAll() {
        List<Session> open;
        synchronized (sessions) {
            open = new ArrayList<>(sessions.values());
            sessions.clear();
        }
        open.forEach(Session::close);
    }

    List<SessionView> sessions() {
        long now = nanoTime.getAsLong();
        List<Session> open;
        synchronized (sessions) {
            open = new ArrayList<>(sessions.values());
        }
        open.sort(Comparator.comparingLong(s -> s.openedNanos));
        return open.stream().map(s -> new SessionView(s.id, s.mac, s.cnode.name(), s.file.path(), s.highestOffset(),
                s.file.size(), s.bytesSent(), s.opened, s.age(now), s.idle(now))).toList();
    }

    /** Session ids are never 0 (none) nor 0xFFFF (probes), and not one still in use. */
    private int nextSessionId() {
        for (int attempt = 0; attempt < 0xFFFF; attempt++) {
            lastSessionId = lastSessionId % (RmpPacket.PROBE_SESSION - 1) + 1;
            int candidate = lastSessionId;
            if (sessions.values().stream().noneMatch(s -> s.id == candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free RMP session id"); // unreachable: maxSessions is far below 65534
    }

    private String pathOf(String configured, RmpSettings settings) {
        if (configured.startsWith("/") || settings.bootDirectory().isEmpty()) {
            return configured;
        }
        return settings.bootDirectory() + "/" + configured;
    }

    /**
     * The context HP-UX's rbootd emulated for context-dependent files: the cnode name and the
     * architectures of the machine type the boot ROM announced (or the inventory's own list).
     */
    private BootContext context(Cnode cnode, Optional<Node> node, HardwareAddress client, String machineType) {
        List<String> contexts = node.map(Node::hardwareContexts).filter(l -> !l.isEmpty())
                .orElseGet(() -> architectures(machineType));
        Node base = node.orElseGet(() -> Node.of(cnode.name(), client));
        Node asCnode = Node.builder(cnode.name(), client).uuid(base.uuid().orElse(null))
                .address(base.address().orElse(null)).architecture(base.architecture().orElse(null))
                .hardwareContexts(contexts).bootFiles(base.bootFiles()).group(base.group().orElse(null)).build();
        InetAddress address = base.address().orElse(NO_IP_ADDRESS);
        return BootContext.of(BootProtocol.RMP, new InetSocketAddress(address, 0)).withNode(asCnode);
    }

    /** HP-UX 9 rbootd's table from machine type to context names, most specific first. */
    static List<String> architectures(String machineType) {
        return switch (machineType.toUpperCase(Locale.ROOT)) {
            case "HPS300", "HPS400" -> List.of("HP-MC68881", "HP-MC68020", "HP-MC68010");
            case "HPS700" -> List.of("PA-RISC1.1", "HP-PA");
            case "HPS800" -> List.of("HP-PA");
            default -> List.of();
        };
    }

    private void publish(BootEvent.Kind kind, HardwareAddress client, Optional<Node> node, String detail, long bytes,
            Duration duration) {
        InetAddress address = node.flatMap(Node::address).orElse(NO_IP_ADDRESS);
        events.accept(BootEvent.builder(clock.instant(), BootProtocol.RMP, kind, address).hardwareAddress(client)
                .detail(detail).bytes(bytes).duration(duration).build());
    }

    /** A name a client sent, safe for a log line or a console. */
    private static String printable(String fromTheNetwork) {
        return Printable.of(fromTheNetwork, MAX_NAME_CHARS);
    }

    /** Broadcast and multicast addresses: the group bit, the lowest bit of the first octet. */
    private static boolean isGroup(HardwareAddress address) {
        return (address.toByteArray()[0] & 1) != 0;
    }

    private static void reply(ByteBuffer out, HardwareAddress client, HardwareAddress server, RmpPacket packet) {
        RmpCodec.encode(RmpFrame.toClient(client, server, packet), out);
    }

    /** A read reply without data (an error or the end of the file). */
    private static void readReply(ByteBuffer out, HardwareAddress client, HardwareAddress server, RmpRetcode code,
            ReadRequest read) {
        int start = out.position();
        RmpCodec.encodeReadReplyHeader(client, server, code, read.offset(), read.session(), 0, out);
        out.position(start + RmpCodec.MIN_FRAME);
    }
}
