package org.diskless.mtftp.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.boot.MulticastTftp;
import org.diskless.api.files.BootFile;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpOpcode;
import org.diskless.tftp.codec.TftpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One file multicast by PXE MTFTP: who may open it, its rounds one after the other, and what the
 * group carries. The group carries one file for every client: the name resolved for no client in
 * particular, kept open from round to round while clients come, so that a client that listened
 * to one round and completes its file in the next never mixes two versions of it. A client for
 * whom the name means another file (a context-dependent or per-node file) is refused, not sent
 * blocks of a file that is not its own.
 *
 * <p>The file's rounds share one port, bound at the first round and kept while the file is in
 * use: a PXE client opens on the server port the first time, but sends a later open to the port
 * it last heard blocks from (atftp's {@code --mget} does), and that open must find someone.
 *
 * <p>Confined to the event loop, but for {@link #advertised()}, which the DHCP server calls.
 */
final class MulticastFile implements PxeRound.Owner, GroupPort.Receiver {

    private static final Logger LOG = LoggerFactory.getLogger(MulticastFile.class);

    /** PXE MTFTP sends 512-byte blocks and negotiates nothing. */
    static final int BLOCK_SIZE = 512;
    /** A group quiet this long has no client left that could still be completing the file. */
    static final Duration IDLE_CLOSE = Duration.ofMinutes(1);
    /** How long DHCP's answer about the file is taken as known before it is checked again. */
    static final Duration AVAILABILITY_MAX_AGE = Duration.ofSeconds(10);
    /** The slowest a file is slowed down to for clients that miss blocks: a 40 KiB loader still takes a second. */
    static final long MIN_PACE = 64 * 1024;

    /** Whether DHCP may tell clients to fetch the file by multicast, and since when that is known. */
    private record Availability(boolean multicast, long checkedNanos) {
    }

    private final String pid;
    private final FileSettings settings;
    private final Services services;
    private final FileAccess access;
    private final GroupPorts ports;
    private volatile MtftpSettings server;

    private GroupContent content;
    /** The rounds' port (their transfer ID); null until the first round, and again once idle. */
    private GroupPort port;
    private PxeRound round;
    /** Clients whose open is being resolved; at most maxClientsPerFile. */
    private final Set<InetSocketAddress> resolving = new HashSet<>();
    private long lastOpenNanos;
    private ScheduledFuture<?> idleCheck;
    private boolean retired;
    private long rounds;
    private long blocksSent;
    private long bytesSent;
    /** The pace of the next round in bytes a second (0: none): maxBytesPerSecond, lowered while clients miss blocks. */
    private long pace;
    /** The clients that listened to the last complete round, and the pace it kept. */
    private Set<InetSocketAddress> lastListeners = Set.of();
    private long lastRoundPace;

    private volatile Availability availability;
    private final AtomicBoolean checking = new AtomicBoolean();

    MulticastFile(String pid, FileSettings settings, MtftpSettings server, Services services, FileAccess access,
                  GroupPorts ports) {
        this.pid = pid;
        this.settings = settings;
        this.server = server;
        this.services = services;
        this.access = access;
        this.ports = ports;
        this.pace = server.maxBytesPerSecond();
    }

    String pid() {
        return pid;
    }

    FileSettings settings() {
        return settings;
    }

    /** New rounds use {@code next}; the round in progress keeps the settings it started with. */
    void serverSettings(MtftpSettings next) {
        if (next.maxBytesPerSecond() != server.maxBytesPerSecond()) {
            pace = next.maxBytesPerSecond();
        }
        server = next;
    }

    // ---- DHCP (any thread) ----

    /**
     * The channel DHCP may advertise: only when the file, as it resolves for everyone, is in the
     * tree (not generated per node) and fits in {@link GroupContent#MAX_BLOCKS} blocks. What is
     * known is answered at once; a stale answer is checked again off the caller's thread.
     */
    Optional<MulticastTftp.Channel> advertised() {
        Availability known = availability;
        if (known == null || services.clock().getAsLong() - known.checkedNanos() > AVAILABILITY_MAX_AGE.toNanos()) {
            checkAvailability();
        }
        return known != null && known.multicast() ? Optional.of(settings.channel()) : Optional.empty();
    }

    /** Checks on a file-work thread whether the file can be multicast, for {@link #advertised()}. */
    void checkAvailability() {
        if (!checking.compareAndSet(false, true)) {
            return;
        }
        try {
            services.fileWork().execute(() -> {
                try {
                    Optional<String> whyNot = whyNot(access.resolve(settings.file(), FileAccess.EVERYONE));
                    available(whyNot.isEmpty(), whyNot.orElse(""));
                } catch (FileAccess.Refusal e) {
                    available(false, e.detail());
                } catch (RuntimeException e) {
                    available(false, e.toString());
                } finally {
                    checking.set(false);
                }
            });
        } catch (RejectedExecutionException busy) {
            checking.set(false);
        }
    }

    private void available(boolean multicast, String whyNot) {
        Availability before = availability;
        availability = new Availability(multicast, services.clock().getAsLong());
        if (!multicast && (before == null || before.multicast())) {
            services.throttle().warn(LOG, "unavailable " + pid, "MTFTP does not multicast {} ({}): {}; DHCP sends"
                    + " BIOS clients to unicast TFTP for it until this is fixed", settings.file(), pid, whyNot);
        } else if (multicast && before != null && !before.multicast()) {
            LOG.info("MTFTP multicasts {} again on {}", settings.file(), settings.destinationText());
        }
    }

    /** Why {@code file} cannot be sent to the group, if it cannot. */
    private static Optional<String> whyNot(BootFile file) {
        if (file.generated()) {
            return Optional.of("it is generated per client (a group carries one file for everyone)");
        }
        if (file.size() > GroupContent.maxSize(BLOCK_SIZE)) {
            return Optional.of(file.size() + " bytes is more than MTFTP's " + GroupContent.MAX_BLOCKS + " blocks of "
                    + BLOCK_SIZE + " bytes carry (at most " + GroupContent.maxSize(BLOCK_SIZE) + " bytes)");
        }
        return Optional.empty();
    }

    // ---- opens (event loop) ----

    /** A read request for this file on its server port, {@code reply} being that port. */
    void request(InetSocketAddress client, Channel reply) {
        services.counters().openRequests.increment();
        lastOpenNanos = services.clock().getAsLong();
        if (round != null) {
            Member known = round.member(client);
            if (known != null) {
                reopen(known, reply);
                return;
            }
            if (round.isHealthy() && round.listening() >= server.maxClientsPerFile()) {
                round.listen(new Member(BootContext.of(FileAccess.EVERYONE.protocol(), client), lastOpenNanos));
                return; // counted, not remembered: nothing to resolve
            }
        }
        if (resolving.contains(client)) {
            return; // the same open again, while the first is being resolved
        }
        if (resolving.size() >= server.maxClientsPerFile()) {
            refuse(client, reply, TftpErrorCode.NOT_DEFINED, "server busy, try again later", null);
            services.counters().refusedBusy.increment();
            return;
        }
        resolving.add(client);
        boolean needsContent = content == null;
        try {
            services.fileWork().execute(() -> {
                Opening opening = open(client, needsContent);
                try {
                    services.loop().execute(() -> opened(client, opening, reply));
                } catch (RejectedExecutionException stopped) {
                    opening.release();
                }
            });
        } catch (RejectedExecutionException full) {
            resolving.remove(client);
            services.counters().refusedBusy.increment();
            services.throttle().warn(LOG, "busy", "Refused an MTFTP open of {} from {}: too many requests wait for"
                    + " the file system", settings.file(), PxeRound.shown(client));
            refuse(client, reply, TftpErrorCode.NOT_DEFINED, "server busy, try again later", null);
        }
    }

    /** A client of the current round opened again. */
    private void reopen(Member known, Channel reply) {
        if (round.isHealthy()) {
            if (known == round.master()) {
                round.masterReopened();
            } else {
                round.listen(known);
            }
        } else {
            startRound(known, reply);
        }
    }

    /** What the file-work thread found for one open. */
    private record Opening(BootContext context, BootFile file, GroupContent fresh, FileAccess.Refusal refusal) {
        void release() {
            if (fresh != null) {
                fresh.close();
            }
        }
    }

    /** On a file-work thread: who the client is, what the name means for it, and the group's file if none is open. */
    private Opening open(InetSocketAddress client, boolean needsContent) {
        BootContext context = BootContext.of(FileAccess.EVERYONE.protocol(), client);
        try {
            context = access.contextOf(client);
            BootFile mine = access.resolve(settings.file(), context);
            GroupContent fresh = null;
            if (needsContent) {
                BootFile everyone = access.resolve(settings.file(), FileAccess.EVERYONE);
                Optional<String> whyNot = whyNot(everyone);
                if (whyNot.isPresent()) {
                    available(false, whyNot.get());
                    TftpErrorCode code = everyone.generated() ? TftpErrorCode.ACCESS_VIOLATION : TftpErrorCode.NOT_DEFINED;
                    return new Opening(context, mine, null, new FileAccess.Refusal(code, settings.file()
                            + " is not sent by multicast: fetch it by TFTP", whyNot.get()));
                }
                fresh = access.openForGroup(everyone, BLOCK_SIZE);
                available(true, "");
            }
            return new Opening(context, mine, fresh, null);
        } catch (FileAccess.Refusal refusal) {
            return new Opening(context, null, null, refusal);
        } catch (RuntimeException e) {
            services.throttle().warn(LOG, "resolve " + pid, "Resolving {} for {} failed", settings.file(),
                    PxeRound.shown(client), e);
            return new Opening(context, null, null, new FileAccess.Refusal(TftpErrorCode.NOT_DEFINED,
                    "server error", e.toString()));
        }
    }

    /** Back on the event loop: the client refused, or listening, or master of a new round. */
    private void opened(InetSocketAddress client, Opening opening, Channel reply) {
        resolving.remove(client);
        if (retired) {
            opening.release();
            return;
        }
        if (opening.fresh() != null) {
            if (content == null) {
                content = opening.fresh();
            } else {
                opening.fresh().close(); // another open found the group's file first
            }
        }
        if (opening.refusal() != null) {
            FileAccess.Refusal refusal = opening.refusal();
            services.counters().refusedFile.increment();
            services.throttle().info(LOG, "refused " + pid, "Refused the MTFTP open of {} from {}: {}", settings.file(),
                    PxeRound.shown(client), refusal.detail());
            refuse(client, reply, refusal.code(), refusal.getMessage(), opening.context());
            scheduleIdleCheck();
            return;
        }
        if (content == null) {
            refuse(client, reply, TftpErrorCode.NOT_DEFINED, "server busy, try again later", null);
            return;
        }
        BootFile mine = opening.file();
        if (mine.generated() || !mine.path().equals(content.path())) {
            services.counters().refusedDiffers.increment();
            services.throttle().warn(LOG, "differs " + pid, "Refused the MTFTP open of {} from {}: for this client"
                    + " the name means {}{}, while its group carries {} for every client; multicast only names that"
                    + " mean one file for everyone", settings.file(), PxeRound.shown(client),
                    NetworkText.shown(mine.path()), mine.generated() ? " (generated for it)" : "", content.path());
            refuse(client, reply, TftpErrorCode.ACCESS_VIOLATION, settings.file() + " differs for this client:"
                    + " fetch it by TFTP", opening.context());
            return;
        }
        Member member = new Member(opening.context(), services.clock().getAsLong());
        if (round != null && round.member(client) != null) {
            reopen(round.member(client), reply);
        } else if (round != null && round.isHealthy()) {
            round.listen(member);
        } else {
            startRound(member, reply);
        }
    }

    private void startRound(Member master, Channel reply) {
        if (round != null) {
            round.takenOver(master);
        }
        cancelIdleCheck();
        rounds++;
        services.counters().roundsStarted.increment();
        services.counters().roundsActive.incrementAndGet();
        MtftpSettings current = server;
        boolean bound = port != null;
        if (!bound) {
            port = new GroupPort(services, settings.file()).receiving(this);
        }
        slowDownIfListenersMissedBlocks(master);
        PxeRound next = new PxeRound(services, this, current, port, settings.destination(), content, master,
                silentLinger(current), pace);
        round = next;
        master.started(services, content.path() + " as master on " + settings.destinationText()
                + (rounds > 1 ? " (re-open " + (rounds - 1) + ")" : ""));
        if (bound) {
            next.begin();
            return;
        }
        GroupPort opening = port;
        ChannelFuture future = ports.open(opening);
        future.addListener(done -> {
            if (done.isSuccess()) {
                opening.bound(future.channel());
                if (port == opening && round != null) {
                    round.begin();
                }
                return;
            }
            services.throttle().error(LOG, "port", "Cannot open a port for the MTFTP rounds of {} on {}: {}",
                    settings.file(), current.address().getHostAddress(), String.valueOf(done.cause()));
            if (port == opening) {
                port = null;
            }
            if (round == next) {
                next.portFailed(String.valueOf(done.cause()));
            }
            refuse(master.address(), reply, TftpErrorCode.NOT_DEFINED, "server cannot open a port", null);
        });
    }

    /**
     * A client that listened to the whole last round and opens again missed blocks: the master
     * acknowledged faster than it could take them. The next rounds go at half the pace the last
     * one kept, down to {@link #MIN_PACE}, until the file is idle again.
     */
    private void slowDownIfListenersMissedBlocks(Member master) {
        if (!lastListeners.contains(master.address())) {
            return;
        }
        lastListeners = Set.of();
        long kept = pace > 0 ? Math.min(pace, lastRoundPace) : lastRoundPace;
        long slower = Math.max(MIN_PACE, kept / 2);
        if (pace == 0 || slower < pace) {
            pace = slower;
            services.counters().paceReductions.increment();
            services.throttle().info(LOG, "pace " + pid, "{} listened to a whole round of {} and opens again: it missed"
                    + " blocks at {} bytes/s, so the next rounds go at {} bytes/s", master.shown(), settings.file(),
                    kept, pace);
        }
    }

    /**
     * How long a round whose master went silent stays quiet before it ends: long enough for a
     * listening client to notice the quiet (its open timeout) and open, and for the master to
     * come back after its own delay.
     */
    private Duration silentLinger(MtftpSettings current) {
        Duration clients = Duration.ofSeconds((long) settings.openTimeoutSeconds() + settings.reopenDelaySeconds());
        return clients.compareTo(current.timeout()) < 0 ? current.timeout() : clients;
    }

    // ---- the rounds' port (event loop) ----

    /** An open sent to the port of the rounds, as a client that heard them sends it. */
    @Override
    public void onRequest(InetSocketAddress from, TftpRequest request) {
        if (!FileNames.normalize(request.filename()).equals(settings.file())
                || request.opcode() != TftpOpcode.RRQ) {
            services.counters().strangerPackets.increment();
            PxeFiles.error(services, port.channel(), from, TftpErrorCode.FILE_NOT_FOUND,
                    "this port sends " + settings.file() + " only");
            return;
        }
        if (!request.normalizedMode().equals("octet")) {
            PxeFiles.error(services, port.channel(), from, TftpErrorCode.ILLEGAL_OPERATION,
                    "MTFTP sends files in octet mode only");
            return;
        }
        request(from, port.channel());
    }

    @Override
    public void onAck(InetSocketAddress from, int block) {
        if (round == null) {
            services.counters().strangerPackets.increment();
        } else {
            round.onAck(from, block);
        }
    }

    @Override
    public void onError(InetSocketAddress from, TftpError error) {
        if (round == null) {
            services.counters().strangerPackets.increment();
        } else {
            round.onError(from, error);
        }
    }

    @Override
    public void sent(int payload, boolean data) {
        bytesSent += payload + MtftpCounters.IP_UDP_HEADERS;
        if (data) {
            blocksSent++;
        }
    }

    @Override
    public void ended(PxeRound ended, boolean completed) {
        services.counters().roundsActive.decrementAndGet();
        lastListeners = completed ? ended.listenerAddresses() : Set.of();
        lastRoundPace = ended.bytesPerSecond();
        if (round == ended) {
            round = null;
        }
        scheduleIdleCheck();
    }

    private void refuse(InetSocketAddress client, Channel reply, TftpErrorCode code, String message,
                        BootContext context) {
        PxeFiles.error(services, reply, client, code, message);
        // Busy refusals come before the client is looked up: they land on its timeline by address.
        BootContext who = context != null ? context : BootContext.of(BootProtocol.MTFTP, client);
        new Member(who, services.clock().getAsLong()).refused(services, settings.file() + ": refused with error "
                + code.code() + ", " + NetworkText.shown(message));
    }

    // ---- the group's file, closed when unused ----

    private void scheduleIdleCheck() {
        if (idleCheck == null && !retired) {
            idleCheck = services.loop().schedule(this::idleCheck, IDLE_CLOSE.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void cancelIdleCheck() {
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
    }

    private void idleCheck() {
        idleCheck = null;
        if (round != null || retired) {
            return;
        }
        long quiet = services.clock().getAsLong() - lastOpenNanos;
        if (quiet < IDLE_CLOSE.toNanos() || !resolving.isEmpty()) {
            idleCheck = services.loop().schedule(this::idleCheck, Math.max(1, IDLE_CLOSE.toNanos() - quiet),
                    TimeUnit.NANOSECONDS);
            return;
        }
        closeContent();
    }

    private void closeContent() {
        if (port != null) {
            port.close();
            port = null;
        }
        if (content != null) {
            content.close();
            content = null;
        }
        pace = server.maxBytesPerSecond();
        lastListeners = Set.of();
    }

    /** The configuration went or changed: the round ends, the file closes. */
    void retire(String why) {
        retired = true;
        cancelIdleCheck();
        if (round != null) {
            round.retire(why);
        }
        closeContent();
    }

    // ---- for mtftp:groups (event loop) ----

    GroupView view() {
        PxeRound current = round;
        return new GroupView(settings.file(), settings.destinationText(),
                current == null || current.state() == PxeRound.State.ENDED ? "-" : current.master().shown()
                        + (current.state() == PxeRound.State.SILENT ? " (silent)" : ""),
                current == null ? 0 : current.listening(), current != null && current.listeningCapped(),
                blocksSent, bytesSent, Math.max(0, rounds - 1));
    }
}
