package org.diskless.rmp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server answers to each frame, as rbootd did: server identify and boot-file-list
 * probes, boot requests that open a session, read requests at any offset, boot complete. Only
 * machines the {@link CnodeTable} knows get any answer. Runs on the receiving thread; the sweep
 * of idle sessions may run on another, hence the lock around the session table.
 */
final class RmpProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(RmpProtocol.class);
    private static final long IGNORED_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();
    private static final int MAX_REMEMBERED_STRANGERS = 1024;
    private static final InetAddress NO_IP_ADDRESS = new InetSocketAddress(0).getAddress();

    private final Supplier<ServingState> state;
    private final Function<HardwareAddress, Optional<Node>> inventory;
    private final BootFileResolver resolver;
    private final Consumer<BootEvent> events;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final Map<HardwareAddress, Session> sessions = new LinkedHashMap<>();
    private final Map<HardwareAddress, Long> strangersLogged = new HashMap<>();
    private int lastSessionId;

    RmpProtocol(Supplier<ServingState> state, Function<HardwareAddress, Optional<Node>> inventory,
            BootFileResolver resolver, Consumer<BootEvent> events, LongSupplier nanoTime, Clock clock) {
        this.state = state;
        this.inventory = inventory;
        this.resolver = resolver;
        this.events = events;
        this.nanoTime = nanoTime;
        this.clock = clock;
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
        RmpPacket packet = request.packet();
        ServingState now = state.get();
        String machineType = packet instanceof BootRequest boot ? boot.machineType() : "";
        Optional<Node> node = inventory.apply(client);
        CnodeTable.Lookup lookup = now.cnodes().find(client, machineType, node);
        if (lookup.cnode().isEmpty()) {
            logIgnored(client, lookup.refusal().orElse("not a configured cnode (answerAny is off)"));
            return false;
        }
        Cnode cnode = lookup.cnode().get();
        if (packet instanceof BootRequest boot) {
            if (boot.isProbe()) {
                return probe(boot, cnode, client, server, now, out);
            }
            return bootRequest(boot, cnode, node, client, server, now, out);
        }
        if (packet instanceof ReadRequest read) {
            return readRequest(read, client, server, out);
        }
        if (packet instanceof BootComplete complete) {
            bootComplete(complete, client);
            return false;
        }
        LOG.warn("{} sent an RMP {} to the server; only boot ROMs' requests are answered", client,
                packet.getClass().getSimpleName());
        return false;
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
            LOG.info("{} ({}) asked to boot again: session {} for {} dropped", client, cnode.name(), replaced.id,
                    replaced.requestedName);
            replaced.close();
            publish(BootEvent.Kind.SESSION_CLOSED, client, node, "replaced by a new boot request ("
                    + replaced.requestedName + ")", replaced.bytesSent(), replaced.age(nanoTime.getAsLong()));
        }
        String requested = request.fileName();
        if (requested.isEmpty() && !cnode.offered().isEmpty()) {
            requested = Cnode.baseName(cnode.offered().get(0)); // PA-RISC ROMs name no file: the first one
        }
        String wanted = Cnode.baseName(requested);
        Optional<String> allowed = cnode.allowedFile(wanted);
        if (allowed.isEmpty()) {
            return refuse(request, requested, RmpRetcode.NOFILE, cnode, node, client, server, out,
                    "'" + wanted + "' is not a boot file of " + cnode.name() + " (" + cnode.origin() + " allows "
                            + cnode.allowed() + ")");
        }
        synchronized (sessions) {
            if (sessions.size() >= now.settings().maxSessions()) {
                return refuse(request, requested, RmpRetcode.BUSY, cnode, node, client, server, out,
                        "all " + now.settings().maxSessions() + " sessions are in use (maxSessions)");
            }
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
        LOG.info("{} ({}) boots {} ({} bytes, session {})", client, cnode.name(), file.path(), file.size(),
                session.id);
        publish(BootEvent.Kind.SESSION_OPENED, client, node, file.path() + " (" + file.size() + " bytes)", 0,
                Duration.ZERO);
        reply(out, client, server, new BootReply(RmpRetcode.OKAY, request.sequence(), session.id, RmpPacket.VERSION,
                requested));
        return true;
    }

    private boolean refuse(BootRequest request, String requested, RmpRetcode code, Cnode cnode, Optional<Node> node,
            HardwareAddress client, HardwareAddress server, ByteBuffer out, String why) {
        LOG.info("{} ({}) may not boot '{}': {} ({})", client, cnode.name(), requested, why, code);
        publish(BootEvent.Kind.FILE_FAILED, client, node, requested + ": " + why, 0, Duration.ZERO);
        reply(out, client, server, new BootReply(code, request.sequence(), 0, RmpPacket.VERSION, requested));
        return true;
    }

    private boolean readRequest(ReadRequest read, HardwareAddress client, HardwareAddress server, ByteBuffer out) {
        Session session;
        synchronized (sessions) {
            session = sessions.get(client);
        }
        if (session == null) {
            LOG.info("{} sent a read request without a session: ABORT", client);
            readReply(out, client, server, RmpRetcode.ABORT, read);
            return true;
        }
        session.touch(nanoTime.getAsLong());
        if (read.session() != session.id) {
            LOG.info("{} read with session id {}, but its session is {}: BADSID", client, read.session(), session.id);
            readReply(out, client, server, RmpRetcode.BADSID, read);
            return true;
        }
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
            LOG.warn("{}: reading {} at {} failed: {}; ABORT", client, session.file.path(), read.offset(),
                    e.getMessage());
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
            LOG.info("{} sent boot complete without a session; ignored", client);
            return;
        }
        if (session.id != complete.session()) {
            LOG.info("{} sent boot complete for session {}, but its session is {}; ignored", client,
                    complete.session(), session.id);
            return;
        }
        session.close();
        Duration took = session.age(nanoTime.getAsLong());
        LOG.info("{} ({}) boot complete: {} ({} bytes sent in {} ms)", client, session.cnode.name(),
                session.file.path(), session.bytesSent(), took.toMillis());
        publish(BootEvent.Kind.SESSION_CLOSED, client, inventory.apply(client), "boot complete: "
                + session.file.path(), session.bytesSent(), took);
    }

    /** Closes sessions idle longer than the configured time-out; returns how many. */
    int expireIdle() {
        long now = nanoTime.getAsLong();
        Duration timeout = state.get().settings().sessionTimeout();
        List<Session> expired = new ArrayList<>();
        synchronized (sessions) {
            sessions.values().removeIf(session -> {
                if (session.idle(now).compareTo(timeout) > 0) {
                    expired.add(session);
                    return true;
                }
                return false;
            });
        }
        for (Session session : expired) {
            session.close();
            LOG.warn("{} ({}): session {} for {} timed out after {} s without a request", session.mac,
                    session.cnode.name(), session.id, session.file.path(), timeout.toSeconds());
            publish(BootEvent.Kind.SESSION_CLOSED, session.mac, inventory.apply(session.mac),
                    "timed out: " + session.file.path(), session.bytesSent(), session.age(now));
        }
        return expired.size();
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

    private void logIgnored(HardwareAddress client, String why) {
        long now = nanoTime.getAsLong();
        Long last = strangersLogged.get(client);
        if (last == null || now - last > IGNORED_LOG_INTERVAL_NANOS) {
            if (strangersLogged.size() >= MAX_REMEMBERED_STRANGERS) {
                strangersLogged.clear();
            }
            strangersLogged.put(client, now);
            LOG.info("RMP frame from {} ignored: {}", client, why);
        }
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
