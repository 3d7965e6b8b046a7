package org.diskless.mtftp.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.MulticastTftpRequests;
import org.diskless.api.files.BootFile;
import org.diskless.tftp.codec.TftpOptionValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;

/**
 * RFC 2090: the read requests with the {@code multicast} option the TFTP server hands over, each
 * joined to the session that sends its file with its block size, or to a new session on a free
 * group of the pool. A request this cannot serve well is declined, and the TFTP server serves it
 * by unicast: RFC 2090 off, the pool in use, a client in too many sessions, a session full, a file
 * generated per client (a group carries one file for all) or longer than 65,535 blocks.
 *
 * <p>{@link #serve} runs on the TFTP server's file-work threads; the sessions live on the MTFTP
 * event loop, reached by a bounded wait.
 */
final class Rfc2090Sessions implements Rfc2090Session.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(Rfc2090Sessions.class);

    static final String OPTION = MulticastTftpRequests.OPTION;
    static final String BLKSIZE = "blksize";
    static final String TSIZE = "tsize";
    static final int DEFAULT_BLOCK_SIZE = 512;
    /** How long a request waits for the event loop, or for its session's port, before it is left to unicast. */
    static final Duration HOP_TIMEOUT = Duration.ofSeconds(5);

    private final Services services;
    private final FileAccess access;
    private final GroupPorts ports;
    /** The groups and ports PXE MTFTP files use: never given to a session. */
    private final Supplier<Set<InetSocketAddress>> taken;
    private volatile MtftpSettings settings;

    private final Map<Rfc2090Session.Key, Rfc2090Session> sessions = new LinkedHashMap<>();
    /** Sessions being made (their file opened, their port bound), and who asked meanwhile. */
    private final Map<Rfc2090Session.Key, Starting> starting = new HashMap<>();
    private final Set<Inet4Address> groupsInUse = new HashSet<>();
    private final Map<InetAddress, Integer> sessionsPerClient = new HashMap<>();

    Rfc2090Sessions(Services services, FileAccess access, GroupPorts ports, Supplier<Set<InetSocketAddress>> taken) {
        this.services = services;
        this.access = access;
        this.ports = ports;
        this.taken = taken;
    }

    /** The settings new sessions take; null serves nothing. */
    void settings(MtftpSettings next) {
        settings = next;
    }

    /** What a request came to, decided on the event loop. */
    private sealed interface Step permits Joined, Declined, NewSession {
    }

    private record Joined(Rfc2090Session session, InetSocketAddress client) implements Step {
    }

    private record Declined(String why) implements Step {
    }

    /** No session sends the file yet: {@code group} is reserved for one, which this request makes. */
    private record NewSession(Rfc2090Session.Key key, Inet4Address group) implements Step {
    }

    /** A client that asked while its session was being made. */
    private record Waiting(Member member, Map<String, String> answered) {
    }

    /** A session being made: the client making it, then those that asked meanwhile, in order. */
    private static final class Starting {
        final Map<InetSocketAddress, Waiting> waiting = new LinkedHashMap<>();

        boolean knows(InetSocketAddress client) {
            return waiting.containsKey(client);
        }

        void add(Waiting client) {
            waiting.put(client.member().address(), client);
        }
    }

    /** @see MulticastTftpRequests#serve */
    boolean serve(String name, Map<String, String> options, BootContext context) {
        services.counters().rfc2090Requests.increment();
        Optional<String> declined = serveOrWhyNot(name, options, context);
        if (declined.isEmpty()) {
            return true;
        }
        services.counters().rfc2090Declined.increment();
        services.throttle().info(LOG, "declined", "RFC 2090 request for '{}' from {} served by unicast TFTP: {}",
                NetworkText.shown(name), PxeRound.shown(context.client()), declined.get());
        return false;
    }

    private Optional<String> serveOrWhyNot(String name, Map<String, String> options, BootContext context) {
        MtftpSettings current = settings;
        if (current == null || current.rfc2090Groups().isEmpty()) {
            return Optional.of("RFC 2090 is off (rfc2090Groups is empty)");
        }
        int blockSize = blockSize(options.get(BLKSIZE), current);
        if (blockSize < 0) {
            return Optional.of("its blksize is not a block size");
        }
        BootFile file;
        try {
            file = access.resolve(name, context);
        } catch (FileAccess.Refusal refusal) {
            return Optional.of(refusal.detail()); // the TFTP server tells the client
        }
        if (file.generated()) {
            return Optional.of("the file is generated for this client (a group carries one file for everyone)");
        }
        if (file.size() > GroupContent.maxSize(blockSize)) {
            return Optional.of(file.size() + " bytes is more than " + GroupContent.MAX_BLOCKS + " blocks of "
                    + blockSize + " bytes carry");
        }
        Rfc2090Session.Key key = new Rfc2090Session.Key(file.path(), file.size(), blockSize);
        Map<String, String> answered = answers(options, blockSize, file.size());
        Member member = new Member(context, services.clock().getAsLong());
        Step step = onLoop(() -> join(key, member, answered, current), this::undo, new Declined("the MTFTP event loop"
                + " did not answer"));
        if (step instanceof Joined) {
            return Optional.empty();
        }
        if (step instanceof Declined declined) {
            return Optional.of(declined.why());
        }
        return start(file, key, ((NewSession) step).group(), member.address(), current);
    }

    /** On this thread: the file opened, the session's port bound; then on the loop: the session serving. */
    private Optional<String> start(BootFile file, Rfc2090Session.Key key, Inet4Address group, InetSocketAddress maker,
                                   MtftpSettings current) {
        GroupContent content;
        try {
            content = access.openForGroup(file, key.blockSize());
        } catch (FileAccess.Refusal refusal) {
            onLoop(() -> failed(key, group), nothing -> { }, null);
            return Optional.of(refusal.detail());
        }
        Rfc2090Session session = new Rfc2090Session(services, this, current, key,
                new InetSocketAddress(group, current.rfc2090Port()), content);
        ChannelFuture bound = ports.open(session.port());
        if (!bound.awaitUninterruptibly(HOP_TIMEOUT.toMillis()) || !bound.isSuccess()) {
            bound.channel().close();
            content.close();
            onLoop(() -> failed(key, group), nothing -> { }, null);
            services.throttle().error(LOG, "session port", "Cannot open a port for an RFC 2090 session on {}: {}",
                    current.address().getHostAddress(), String.valueOf(bound.cause()));
            return Optional.of("no port for the session");
        }
        Step step = onLoop(() -> install(session, bound, maker), this::undo,
                new Declined("the MTFTP event loop did not answer"));
        return step instanceof Joined ? Optional.empty() : Optional.of(((Declined) step).why());
    }

    // ---- on the event loop ----

    private Step join(Rfc2090Session.Key key, Member member, Map<String, String> answered, MtftpSettings current) {
        Rfc2090Session session = sessions.get(key);
        Starting starting = this.starting.get(key);
        InetSocketAddress address = member.address();
        boolean known = session != null ? session.knows(address) : starting != null && starting.knows(address);
        if (!known && sessionsPerClient.getOrDefault(address.getAddress(), 0) >= current.maxSessionsPerClient()) {
            return new Declined(address.getAddress().getHostAddress() + " takes part in "
                    + current.maxSessionsPerClient() + " sessions already (maxSessionsPerClient)");
        }
        int clients = session != null ? session.clients() : starting != null ? starting.waiting.size() : 0;
        if (!known && clients >= current.maxClientsPerFile()) {
            return new Declined("its session has " + current.maxClientsPerFile() + " clients (maxClientsPerFile)");
        }
        if (session != null) {
            add(session, member, answered);
            return new Joined(session, address);
        }
        if (starting != null) { // joins once the session is there
            if (!known) {
                sessionsPerClient.merge(address.getAddress(), 1, Integer::sum);
                starting.add(new Waiting(member, answered));
            }
            return new Joined(null, address);
        }
        Set<InetSocketAddress> pxe = taken.get();
        for (Inet4Address group : current.rfc2090Groups().groups()) {
            if (!groupsInUse.contains(group) && !pxe.contains(new InetSocketAddress(group, current.rfc2090Port()))) {
                groupsInUse.add(group);
                Starting made = new Starting();
                made.add(new Waiting(member, answered));
                sessionsPerClient.merge(address.getAddress(), 1, Integer::sum);
                this.starting.put(key, made);
                return new NewSession(key, group);
            }
        }
        return new Declined("every group of rfc2090Groups carries a session (" + current.rfc2090Groups().size()
                + ")");
    }

    /** The session is bound: it serves the client that made it, then those that asked meanwhile. */
    private Step install(Rfc2090Session session, ChannelFuture bound, InetSocketAddress maker) {
        Starting started = starting.remove(session.key());
        if (started == null) { // given up meanwhile
            session.port().bound(bound.channel());
            session.discard();
            releaseGroup((Inet4Address) session.group().getAddress());
            return new Declined("the session was given up while its port was bound");
        }
        sessions.put(session.key(), session);
        services.counters().rfc2090Sessions.increment();
        services.counters().sessionsActive.incrementAndGet();
        session.port().bound(bound.channel());
        started.waiting.values().forEach(w -> session.join(w.member(), w.answered()));
        return new Joined(session, maker);
    }

    /** The session could not be made: its group is free again, and those waiting for it ask again. */
    private Void failed(Rfc2090Session.Key key, Inet4Address group) {
        Starting started = starting.remove(key);
        if (started != null) {
            started.waiting.keySet().forEach(this::leftOne);
        }
        return releaseGroup(group);
    }

    private void add(Rfc2090Session session, Member member, Map<String, String> answered) {
        if (!session.knows(member.address())) {
            sessionsPerClient.merge(member.address().getAddress(), 1, Integer::sum);
        }
        session.join(member, answered);
    }

    private Void releaseGroup(Inet4Address group) {
        groupsInUse.remove(group);
        return null;
    }

    /** A step the requester gave up waiting for is undone, as far as it can be. */
    private void undo(Step step) {
        if (step instanceof NewSession reserved) {
            failed(reserved.key(), reserved.group());
        } else if (step instanceof Joined joined && joined.session() != null) {
            joined.session().abandon(joined.client());
        }
    }

    @Override
    public void left(Rfc2090Session session, InetSocketAddress client) {
        leftOne(client);
    }

    private void leftOne(InetSocketAddress client) {
        sessionsPerClient.computeIfPresent(client.getAddress(), (address, n) -> n <= 1 ? null : n - 1);
    }

    @Override
    public void ended(Rfc2090Session session) {
        if (sessions.get(session.key()) == session) {
            sessions.remove(session.key());
            services.counters().sessionsActive.decrementAndGet();
        }
        releaseGroup((Inet4Address) session.group().getAddress());
    }

    List<SessionView> views() {
        return sessions.values().stream().map(Rfc2090Session::view).toList();
    }

    void retireAll(String why) {
        for (Rfc2090Session session : List.copyOf(sessions.values())) {
            session.retire(why);
        }
    }

    // ---- helpers ----

    /**
     * The block size granted for {@code asked}: 512 when not asked or when no number (an option this
     * server cannot read is ignored, as the unicast server does), or -1 when it is no block size.
     */
    static int blockSize(String asked, MtftpSettings current) {
        OptionalLong value = TftpOptionValues.number(asked);
        if (value.isEmpty()) {
            return Math.min(DEFAULT_BLOCK_SIZE, current.maxBlockSize());
        }
        return value.getAsLong() < MtftpSettings.MIN_BLOCK_SIZE ? -1
                : (int) Math.min(value.getAsLong(), current.maxBlockSize());
    }

    /**
     * The options a client's OACKs answer besides {@code multicast}: those it asked that this server
     * grants, leaving out those whose value is no number.
     */
    static Map<String, String> answers(Map<String, String> asked, int blockSize, long size) {
        Map<String, String> out = new LinkedHashMap<>();
        if (TftpOptionValues.number(asked.get(BLKSIZE)).isPresent()) {
            out.put(BLKSIZE, Integer.toString(blockSize));
        }
        if (TftpOptionValues.number(asked.get(TSIZE)).isPresent()) {
            out.put(TSIZE, Long.toString(size));
        }
        return out;
    }

    /**
     * Runs {@code task} on the event loop and waits a bounded time for it; when the wait is given
     * up, {@code undo} takes back what the task does once it has run.
     */
    private <T> T onLoop(Callable<T> task, Consumer<T> undo, T ifNotRun) {
        Future<T> future;
        try {
            future = services.loop().submit(task);
        } catch (RejectedExecutionException stopped) {
            return ifNotRun;
        }
        try {
            return future.get(HOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // undone below
        }
        future.addListener(done -> {
            if (done.isSuccess() && done.getNow() != null) {
                @SuppressWarnings("unchecked")
                T result = (T) done.getNow();
                services.loop().execute(() -> undo.accept(result));
            }
        });
        return ifNotRun;
    }
}
