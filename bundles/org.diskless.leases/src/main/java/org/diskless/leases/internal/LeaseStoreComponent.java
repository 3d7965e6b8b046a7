package org.diskless.leases.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;
import org.diskless.support.config.SettingsUpdate;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the embedded lease store from {@code etc/org.diskless.leases.cfg} and publishes it as the
 * {@link LeaseStore} service only while a store is open: a DHCP server that requires one then
 * does not serve at all rather than acknowledge leases nobody records.
 *
 * <p>A bad configuration is refused with the key and the reason and the open store keeps serving.
 * A new directory is opened (and locked) before the old store is let go; the leases of the old
 * store are then committed into the new one, on top of whatever it already held, and only once
 * they are durable there do commits go to the new store and is the old one closed. Commits that
 * arrive meanwhile wait (the move takes one sync); a failure anywhere leaves the old store serving.
 */
@Component(configurationPid = "org.diskless.leases", immediate = true, service = {})
@Designate(ocd = LeasesConfig.class)
public final class LeaseStoreComponent {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseStoreComponent.class);
    private static final long MOVE_TIMEOUT_SECONDS = 60;
    private static final String CONFIG_FILE = "etc/org.diskless.leases.cfg";

    private final BundleContext context;
    private final Path base;
    /** Commits hold it shared; moving to another directory holds it exclusively. */
    private final ReentrantReadWriteLock moving = new ReentrantReadWriteLock();
    private final LeaseStore service = new CurrentStore();
    private volatile LeaseJournal store;
    private ServiceRegistration<LeaseStore> registration;

    @Activate
    public LeaseStoreComponent(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        String karafBase = System.getProperty("karaf.base");
        this.base = Path.of(karafBase == null ? "" : karafBase).toAbsolutePath();
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        LeaseJournal current = store;
        store = null;
        if (current != null) {
            current.close();
            LOG.info("Lease store in {} closed", current.directory());
        }
    }

    private synchronized void apply(Map<String, Object> properties) {
        Optional<LeaseStoreSettings> parsed = SettingsUpdate.apply(CONFIG_FILE, properties,
                config -> LeaseStoreSettings.parse(config, base), LOG, store == null
                        ? "no lease store is open, so DHCP cannot acknowledge leases until this is fixed"
                        : "still serving from " + store.directory() + " with the previous settings");
        if (parsed.isEmpty()) {
            return;
        }
        LeaseStoreSettings next = parsed.get();
        LeaseJournal current = store;
        if (current != null && current.directory().equals(next.directory())) {
            current.update(next);
            SettingsUpdate.updated(LOG, CONFIG_FILE, next);
            return;
        }
        LeaseJournal opened;
        try {
            opened = LeaseJournal.open(next);
        } catch (IOException | RuntimeException e) {
            String why = e instanceof IOException io ? StoreDirectory.explain(io) : e.toString();
            String remedy = e instanceof MissingLeaseFileException
                    ? "No lease store is serving, so DHCP hands out no address until this is fixed."
                    : "No lease store is serving; set 'directory' in " + CONFIG_FILE + " to a writable local directory.";
            LOG.error("Cannot open the lease store in {}: {}. {}", next.directory(), why, current == null
                    ? remedy : "Still serving from " + current.directory() + ".");
            return;
        }
        if (current == null) {
            store = opened;
            registration = context.registerService(LeaseStore.class, service, serviceProperties());
            LOG.info("Lease store serving from {} ({})", next.directory(), next);
            return;
        }
        moveTo(current, opened);
    }

    private void moveTo(LeaseJournal current, LeaseJournal opened) {
        int carried;
        moving.writeLock().lock();
        try {
            carried = carryOver(current, opened);
            if (carried < 0) {
                opened.close();
                return;
            }
            store = opened;
        } finally {
            moving.writeLock().unlock();
        }
        current.close();
        LOG.info("Lease store moved from {} to {}: {} leases carried over, {} held in total", current.directory(),
                opened.directory(), carried, opened.leases().size());
    }

    /** Commits the current store's leases into the new one; how many, or -1 if that failed. */
    private static int carryOver(LeaseJournal from, LeaseJournal to) {
        try {
            // Commits already queued in the old store must land in it (and so be carried) first.
            from.sync().get(MOVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<Lease> leases = from.inCommitOrder();
            List<CompletableFuture<Lease>> written = new ArrayList<>(leases.size());
            for (Lease lease : leases) {
                written.add(to.commit(lease).toCompletableFuture());
            }
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new))
                    .get(MOVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return leases.size();
        } catch (ExecutionException e) {
            LOG.error("Could not move the leases from {} to {}: {}. Still serving from {}.", from.directory(),
                    to.directory(), e.getCause().getMessage(), from.directory());
        } catch (TimeoutException e) {
            LOG.error("Moving the leases from {} to {} took longer than {} s. Still serving from {}.",
                    from.directory(), to.directory(), MOVE_TIMEOUT_SECONDS, from.directory());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("Interrupted while moving the leases to {}. Still serving from {}.", to.directory(),
                    from.directory());
        }
        return -1;
    }

    private static Dictionary<String, Object> serviceProperties() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("org.diskless.leases.kind", "journal");
        return properties;
    }

    /** The published service: always the store in force, so a move is invisible to its users. */
    private final class CurrentStore implements LeaseStore {

        @Override
        public CompletionStage<Lease> commit(Lease lease) {
            moving.readLock().lock();
            try {
                LeaseJournal current = store;
                if (current == null) {
                    return CompletableFuture.failedStage(new IllegalStateException(
                            "the lease store is closed; the lease for " + lease.address().getHostAddress()
                                    + " was not recorded"));
                }
                return current.commit(lease);
            } finally {
                moving.readLock().unlock();
            }
        }

        @Override
        public Optional<Lease> byAddress(Inet4Address address) {
            LeaseJournal current = store;
            return current == null ? Optional.empty() : current.byAddress(address);
        }

        @Override
        public Optional<Lease> byClientId(String clientId) {
            LeaseJournal current = store;
            return current == null ? Optional.empty() : current.byClientId(clientId);
        }

        @Override
        public Collection<Lease> leases() {
            LeaseJournal current = store;
            return current == null ? List.of() : current.leases();
        }
    }
}
