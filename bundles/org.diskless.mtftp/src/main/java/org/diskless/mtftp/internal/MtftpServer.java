package org.diskless.mtftp.internal;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootEventListener;
import org.diskless.api.boot.MulticastTftp;
import org.diskless.api.boot.MulticastTftpRequests;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.leases.LeaseStore;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.support.context.ClientContexts;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.events.BootEventPublisher;
import org.diskless.support.log.LogThrottle;
import org.diskless.tftp.codec.TftpDecoder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The MTFTP server component ({@code Channel} in here is the advertised {@link MulticastTftp.Channel};
 * Netty's is spelled out): owns the event loop, the server ports the configured files need,
 * and the file-work threads, and applies configuration changes live. With no file configured it
 * binds nothing, and DHCP advertises nothing. A configuration that cannot be used is refused with
 * the key and the reason, and what was serving keeps serving.
 */
@Component(configurationPid = "org.diskless.mtftp", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {MtftpMonitor.class, MulticastTftp.class, MulticastTftpRequests.class, FileRegistry.class},
        immediate = true)
@Designate(ocd = MtftpConfig.class)
public final class MtftpServer implements MtftpMonitor, MulticastTftp, MulticastTftpRequests, FileRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(MtftpServer.class);
    private static final String CONFIGURATION = "etc/org.diskless.mtftp.cfg";
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    /** Another program on a server port may go at any time; trying again costs a system call. */
    private static final Duration BIND_RETRY_DELAY = Duration.ofSeconds(10);
    private static final Duration VIEW_TIMEOUT = Duration.ofSeconds(2);
    /** Resolving names and opening files for opens: a few threads, and a queue for a boot storm's opens. */
    private static final int FILE_WORK_THREADS = 2;
    private static final int FILE_WORK_QUEUE = 1024;

    private final MulticastTransport transport;
    private final ThreadPoolExecutor fileWork = new ThreadPoolExecutor(FILE_WORK_THREADS, FILE_WORK_THREADS,
            30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(FILE_WORK_QUEUE),
            new DefaultThreadFactory("diskless-mtftp-files", true), new ThreadPoolExecutor.AbortPolicy());
    private final MtftpCounters counters = new MtftpCounters();
    private final BootEventPublisher events = new BootEventPublisher();
    private final Services services;
    private final PxeFiles pxe;
    private final Rfc2090Sessions rfc2090;
    private final LogThrottle interfaceLines = new LogThrottle(Duration.ofMinutes(1));

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodeDirectory;

    /** Whose lease a client's address is, for a client whose address is no node's fixed one. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LeaseStore leaseStore;

    /** Settings in force; null until a valid configuration arrived. */
    private volatile MtftpSettings settings;
    private final FileTable table = new FileTable(MtftpSettings.DEFAULT_MAX_FILES);   // guarded by this
    private final Map<Integer, io.netty.channel.Channel> serverPorts = new HashMap<>();               // guarded by this
    private final Map<Integer, String> bindFailures = new HashMap<>();               // guarded by this
    private Map<String, String> heldBack = Map.of();                                 // guarded by this
    private volatile int filesServed;
    private boolean stopped;                                                         // guarded by this
    /** A retry of the server ports that could not be bound, while one is pending. */
    private ScheduledFuture<?> bindRetry;                                            // guarded by this
    private final Duration bindRetryDelay;

    @Activate
    public MtftpServer(@Reference BootFileResolver resolver, Map<String, Object> properties) {
        this(resolver, properties, BIND_RETRY_DELAY);
    }

    /** @param bindRetryDelay how soon a server port another program holds is tried again */
    MtftpServer(BootFileResolver resolver, Map<String, Object> properties, Duration bindRetryDelay) {
        this.bindRetryDelay = bindRetryDelay;
        this.transport = MulticastTransport.choose(new DefaultThreadFactory("diskless-mtftp", true));
        fileWork.allowCoreThreadTimeOut(true);
        this.services = new Services(counters, events, new LogThrottle(Duration.ofMinutes(1)), System::nanoTime,
                transport.loop(), fileWork);
        FileAccess access = new FileAccess(resolver, new ClientContexts(
                () -> Optional.ofNullable(nodeDirectory), () -> Optional.ofNullable(leaseStore), Clock.systemUTC()));
        this.pxe = new PxeFiles(services, access, this::openGroupPort);
        this.rfc2090 = new Rfc2090Sessions(services, access, this::openGroupPort, pxe::destinations);
        LOG.info("MTFTP transport: {}", transport.name());
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            stopped = true;
            if (bindRetry != null) {
                bindRetry.cancel(false);
            }
            serverPorts.values().forEach(c -> c.close().awaitUninterruptibly(BIND_TIMEOUT.toMillis()));
            serverPorts.clear();
        }
        rfc2090.settings(null);
        transport.loop().submit(() -> {
            pxe.retireAll("the MTFTP server stopped");
            rfc2090.retireAll("the MTFTP server stopped");
        }).awaitUninterruptibly(VIEW_TIMEOUT.toMillis());
        fileWork.shutdownNow();
        transport.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(BIND_TIMEOUT.toMillis());
        LOG.info("MTFTP server stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(BootEventListener listener) {
        events.add(listener);
    }

    void removeListener(BootEventListener listener) {
        events.remove(listener);
    }

    private synchronized void apply(Map<String, Object> properties) {
        Optional<MtftpSettings> accepted = SettingsUpdate.apply(CONFIGURATION, properties, MtftpSettings::parse, LOG,
                settings == null ? "MTFTP serves nothing until this is fixed" : "still serving with the previous settings");
        if (accepted.isEmpty()) {
            return;
        }
        MtftpSettings next = accepted.get();
        MtftpSettings previous = settings;
        settings = next;
        if (previous != null && !previous.address().equals(next.address())) {
            closeServerPorts();
        }
        table.maxFiles(next.maxFiles());
        reconcile();
        rfc2090.settings(next);
        String summary = "address " + next.address().getHostAddress() + ", interface "
                + next.multicastInterface().orElse("(the route's)") + ", TTL " + next.ttl() + ", timeout "
                + next.timeout().toSeconds() + " s, " + next.retries() + " retries; RFC 2090 on " + next.rfc2090Groups()
                + " (" + (next.rfc2090Groups().isEmpty() ? "off" : "port " + next.rfc2090Port()) + ")";
        if (previous == null) {
            LOG.info("MTFTP settings: {}", summary);
        } else {
            SettingsUpdate.updated(LOG, CONFIGURATION, summary);
        }
    }

    @Override
    public synchronized Optional<String> put(String pid, FileSettings file) {
        Optional<String> refusal = table.put(pid, file);
        reconcile();
        return refusal;
    }

    @Override
    public synchronized void remove(String pid) {
        table.remove(pid);
        reconcile();
    }

    /** Binds the server ports the served files need, lets go of the others, and hands the files to the loop. */
    private void reconcile() {
        MtftpSettings current = settings;
        if (stopped || current == null) {
            return;
        }
        Map<String, FileSettings> served = table.served();
        for (String pid : FileTable.promoted(heldBack, served)) {
            LOG.info("MTFTP file configuration {} is multicast now: what held it back is gone", pid);
        }
        heldBack = table.heldBack();
        Set<Integer> wanted = new TreeSet<>();
        served.values().forEach(f -> wanted.add(f.serverPort()));
        serverPorts.keySet().removeIf(port -> {
            if (!wanted.contains(port)) {
                serverPorts.get(port).close();
                LOG.info("MTFTP no longer takes requests on port {}", port);
                return true;
            }
            return false;
        });
        bindFailures.keySet().retainAll(wanted);
        for (int port : wanted) {
            if (!serverPorts.containsKey(port)) {
                bind(current, port);
            }
        }
        Map<String, FileSettings> reachable = new LinkedHashMap<>();
        served.forEach((pid, f) -> {
            if (serverPorts.containsKey(f.serverPort())) {
                reachable.put(pid, f);
            }
        });
        filesServed = reachable.size();
        transport.loop().execute(() -> pxe.update(reachable, current));
        if (!bindFailures.isEmpty() && bindRetry == null) {
            bindRetry = transport.loop().schedule(() -> fileWork.execute(this::retryBinds), bindRetryDelay.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    /** On a file-work thread: the server ports that failed are tried again. */
    private synchronized void retryBinds() {
        bindRetry = null;
        reconcile();
    }

    private void bind(MtftpSettings current, int port) {
        InetSocketAddress address = new InetSocketAddress(current.address(), port);
        ChannelFuture bound = transport.bindServerPort(address, new ServerPortHandler(port, pxe, services).initializer());
        if (bound.awaitUninterruptibly(BIND_TIMEOUT.toMillis()) && bound.isSuccess()) {
            serverPorts.put(port, bound.channel());
            bindFailures.remove(port);
            LOG.info("MTFTP takes requests on {}", PxeRound.shown(address));
            return;
        }
        bound.channel().close();
        String why = explain(address, bound.cause());
        if (!why.equals(bindFailures.put(port, why))) {
            LOG.error("Cannot take MTFTP requests on {}: {}; the files that use this server port are not multicast"
                    + " (DHCP sends their clients to unicast TFTP) until it is free; MTFTP tries again every {} s",
                    PxeRound.shown(address), why, bindRetryDelay.toMillis() / 1000.0);
        }
    }

    private static String explain(InetSocketAddress address, Throwable cause) {
        String error = cause == null ? "timed out" : String.valueOf(cause.getMessage());
        if (error.contains("in use")) {
            return "another program already listens on UDP port " + address.getPort() + " (atftpd, a second Diskless?):"
                    + " stop it, or give the files another serverPort (" + error + ")";
        }
        if (error.contains("ssign requested address")) {
            return address.getAddress().getHostAddress() + " is not an address of this host: set 'address' to one of"
                    + " its addresses, or 0.0.0.0 (" + error + ")";
        }
        if (error.contains("ermission denied") && address.getPort() < 1024) {
            return "port " + address.getPort() + " needs root or CAP_NET_BIND_SERVICE (" + error + ")";
        }
        return error;
    }

    private void closeServerPorts() {
        serverPorts.values().forEach(c -> c.close().awaitUninterruptibly(BIND_TIMEOUT.toMillis()));
        serverPorts.clear();
    }

    /** A port for rounds or a session, with the settings in force now. */
    private ChannelFuture openGroupPort(GroupPort port) {
        MtftpSettings current = settings;
        return transport.bindGroupPort(current, multicastInterface(current), new ChannelInitializer<io.netty.channel.Channel>() {
            @Override
            protected void initChannel(io.netty.channel.Channel ch) {
                ch.pipeline().addLast(new TftpDecoder(), port);
            }
        });
    }

    private Optional<NetworkInterface> multicastInterface(MtftpSettings current) {
        if (current.multicastInterface().isEmpty()) {
            return Optional.empty();
        }
        String name = current.multicastInterface().get();
        try {
            NetworkInterface nic = NetworkInterface.getByName(name);
            if (nic != null) {
                return Optional.of(nic);
            }
        } catch (SocketException e) {
            // named below
        }
        interfaceLines.error(LOG, name, "MTFTP interface '{}' is gone: multicast leaves by the route to each group"
                + " until it is back", name);
        return Optional.empty();
    }

    // ---- MulticastTftp (DHCP's threads) ----

    @Override
    public Optional<Channel> channelFor(String bootFile, BootContext context) {
        return settings == null ? Optional.empty() : pxe.channelFor(bootFile);
    }

    // ---- MulticastTftpRequests (the TFTP server's file-work threads) ----

    @Override
    public boolean serve(String file, Map<String, String> options, BootContext context) {
        return rfc2090.serve(file, options, context);
    }

    // ---- the shell and the statistics ----

    @Override
    public List<GroupView> groups() {
        return onLoop(pxe::views);
    }

    @Override
    public List<SessionView> sessions() {
        return onLoop(rfc2090::views);
    }

    /** What {@code view} returns on the event loop, or nothing when it does not answer in time. */
    private <T> List<T> onLoop(Callable<List<T>> view) {
        try {
            return transport.loop().submit(view).get(VIEW_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return List.of();
        }
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    @Override
    public Map<String, Long> gauges() {
        return Map.of("files_multicast", (long) filesServed, "rounds_active", (long) counters.roundsActive.get(),
                "sessions_active", (long) counters.sessionsActive.get());
    }

    @Override
    public String transport() {
        return transport.name();
    }
}
