package org.diskless.boot.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootEventListener;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.timeline.BootCounts;
import org.diskless.api.timeline.BootHistory;
import org.diskless.api.timeline.BootStatistics;
import org.diskless.api.timeline.RecordedBoot;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.log.LogThrottle;
import org.diskless.support.log.Printable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears every protocol's boot events (a {@link BootEventListener} on the whiteboard) and keeps
 * them as per-client boots in a {@link TimelineBook}; shows them to the shell ({@link BootTimelines})
 * and, read-only, to other bundles ({@link BootHistory}, and how boots ended as {@link BootStatistics}).
 */
@Component(configurationPid = "org.diskless.boot",
        service = {BootEventListener.class, BootTimelines.class, BootHistory.class, BootStatistics.class}, immediate = true)
@Designate(ocd = TimelineConfig.class)
public final class BootTimelineCollector implements BootEventListener, BootTimelines, BootHistory,
        BootStatistics {

    private static final Logger LOG = LoggerFactory.getLogger(BootTimelineCollector.class);
    private static final String CONFIG_FILE = "etc/org.diskless.boot.cfg";
    private static final Duration SAVE_EVERY = Duration.ofMinutes(1);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory nodeDirectory;

    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    private final TimelineBook book = new TimelineBook(TimelineSettings.DEFAULTS, this::fixedAddressOwner);
    /** Where each client's last boot is kept across a restart; none outside Karaf. */
    private final Optional<Path> savedFile;
    private final ScheduledExecutorService saver;
    /** The book's {@link TimelineBook#version} last saved: nothing is written while nothing changed. */
    private long savedVersion = -1;

    @Activate
    public BootTimelineCollector(Map<String, Object> properties) {
        this(Optional.ofNullable(System.getProperty("karaf.data"))
                .map(data -> Path.of(data, "org.diskless.boot", "last-boots.txt")), properties);
    }

    /** For tests: a collector that keeps its boots in {@code savedFile}, without OSGi. */
    BootTimelineCollector(Optional<Path> savedFile, Map<String, Object> properties) {
        this.savedFile = savedFile;
        apply(properties);
        load();
        saver = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "diskless-boot-timelines-save");
            thread.setDaemon(true);
            return thread;
        });
        saver.scheduleWithFixedDelay(this::save, SAVE_EVERY.toSeconds(), SAVE_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    /** For tests: a collector over a given inventory, without OSGi and without a saved file. */
    BootTimelineCollector(NodeDirectory nodeDirectory) {
        this.nodeDirectory = nodeDirectory;
        this.savedFile = Optional.empty();
        this.saver = null;
    }

    @Deactivate
    void deactivate() {
        saver.shutdownNow();
        save();
    }

    private void load() {
        long bound = settings().savedBytes();
        if (savedFile.isEmpty() || bound == 0) {
            return;
        }
        Path file = savedFile.get();
        try {
            SavedTimelines.load(file, bound).ifPresent(boots -> {
                book.restore(boots);
                LOG.info("Read the last boots of {} clients back from {}", boots.size(), file);
            });
        } catch (IOException | SavedTimelines.DamagedException e) {
            LOG.warn("Ignored {}: {}; the timelines start empty and the file is written anew", file,
                    Printable.of(String.valueOf(e.getMessage()), KeptEvent.MAX_DETAIL_CHARS));
        }
        savedVersion = book.version();
    }

    /** Writes each client's last boot when anything changed; on the saver's thread, and once at stop. */
    synchronized void save() {
        long bound = settings().savedBytes();
        long version = book.version();
        if (savedFile.isEmpty() || bound == 0 || version == savedVersion) {
            return;
        }
        try {
            SavedTimelines.save(savedFile.get(), SavedTimelines.write(book.lastBoots(), bound));
            savedVersion = version;
        } catch (IOException | RuntimeException e) {
            throttle.warn(LOG, "save", "Cannot write the last boots to {}: {}; they are kept in memory and"
                    + " tried again in a minute", savedFile.get(), String.valueOf(e.getMessage()));
        }
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties).ifPresent(settings -> SettingsUpdate.updated(LOG, CONFIG_FILE, settings));
    }

    private Optional<TimelineSettings> apply(Map<String, Object> properties) {
        Optional<TimelineSettings> accepted = SettingsUpdate.apply(CONFIG_FILE, properties, TimelineSettings::parse,
                LOG, "the previous settings keep serving");
        accepted.ifPresent(book::settings);
        return accepted;
    }

    TimelineSettings settings() {
        return book.settings();
    }

    @Override
    public void bootEvent(BootEvent event) {
        try {
            book.record(event);
        } catch (RuntimeException e) {
            // Called on a protocol's network thread: a bug here must not reach it, nor flood the log.
            throttle.warn(LOG, "not recorded", "Boot event not recorded: {}",
                    Printable.of(String.valueOf(event), KeptEvent.MAX_DETAIL_CHARS * 2), e);
        }
    }

    private Optional<HardwareAddress> fixedAddressOwner(InetAddress address) {
        NodeDirectory directory = nodeDirectory;
        return directory == null ? Optional.empty() : directory.byAddress(address).map(Node::hardwareAddress);
    }

    @Override
    public Optional<ClientKey> find(String nameMacOrAddress) {
        String text = nameMacOrAddress.trim();
        NodeDirectory directory = nodeDirectory;
        if (directory != null) {
            Optional<Node> byName = directory.byName(text);
            if (byName.isPresent()) {
                return Optional.of(new ClientKey.Mac(byName.get().hardwareAddress()));
            }
        }
        if (text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return ipv4(text).map(book::keyOf);
        }
        if (text.toLowerCase(Locale.ROOT).matches("([0-9a-f]{1,2}[:-]){5}[0-9a-f]{1,2}|[0-9a-f]{12}")) {
            return Optional.of(new ClientKey.Mac(HardwareAddress.parse(text)));
        }
        return Optional.empty();
    }

    /** A dotted quad without any name lookup; empty when an octet is above 255. */
    private static Optional<InetAddress> ipv4(String text) {
        byte[] bytes = new byte[4];
        String[] octets = text.split("\\.");
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(octets[i]);
            if (octet > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) octet;
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    @Override
    public List<BootView> boots(ClientKey client) {
        return book.boots(client);
    }

    @Override
    public List<RecordedBoot> boots(HardwareAddress client) {
        return book.boots(new ClientKey.Mac(client)).stream().map(BootTimelineCollector::recorded).toList();
    }

    private static RecordedBoot recorded(BootView boot) {
        List<BootEvent> failures = new ArrayList<>();
        for (int i = 0; i < boot.first().size(); i++) {
            if (boot.isFailure(boot.first().get(i), i)) {
                failures.add(boot.first().get(i));
            }
        }
        for (int i = 0; i < boot.latest().size(); i++) {
            if (boot.isFailure(boot.latest().get(i), boot.latestNumber(i))) {
                failures.add(boot.latest().get(i));
            }
        }
        return RecordedBoot.builder(boot.started(), boot.lastActivity())
                .events(Stream.concat(boot.first().stream(), boot.latest().stream()).toList())
                .omittedEvents(boot.omitted())
                .failures(failures)
                .build();
    }

    @Override
    public BootCounts counts() {
        return book.counts(Instant.now());
    }

    @Override
    public List<BootView> lastBoots() {
        return book.lastBoots();
    }

    @Override
    public Collection<Node> nodes() {
        NodeDirectory directory = nodeDirectory;
        return directory == null ? List.of() : directory.nodes();
    }

    @Override
    public Optional<Node> nodeOf(ClientKey client) {
        NodeDirectory directory = nodeDirectory;
        if (directory == null) {
            return Optional.empty();
        }
        if (client instanceof ClientKey.Mac mac) {
            return directory.byHardwareAddress(mac.mac());
        }
        return directory.byAddress(((ClientKey.Address) client).address());
    }
}
