package org.diskless.leases.postgresql.internal;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;
import org.diskless.support.config.SettingsUpdate;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the PostgreSQL lease store from {@code etc/org.diskless.leases.postgresql.cfg} and
 * publishes it as a {@link LeaseStore} ranked above the embedded journal's, so the DHCP server
 * (which takes the best-ranked store, greedily) moves to it when it is configured and back to the
 * journal when the configuration is deleted. Only the DHCP server restarts for that; TFTP, RMP and
 * the rest do not use a lease store. The journal keeps running beside it, so
 * {@code leases:import-postgresql} can copy its leases over.
 *
 * <p>The service is published as soon as the configuration is valid, even with the database down:
 * a server configured for a shared database must not fall back to its own journal, where it would
 * hand out addresses the other servers cannot see. A new configuration opens a new store behind
 * the same service object, so the DHCP server does not restart for it either.
 */
@Component(configurationPid = PostgresqlLeaseStoreComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = StoreMonitor.class)
@Designate(ocd = PostgresqlConfig.class)
public final class PostgresqlLeaseStoreComponent implements StoreMonitor {

    static final String PID = "org.diskless.leases.postgresql";
    /** Above the journal's default 0: with both running, the DHCP server takes this one. */
    static final int RANKING = 100;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresqlLeaseStoreComponent.class);
    private static final String CONFIG_FILE = "etc/" + PID + ".cfg";
    private static final Duration FIRST_LOAD = Duration.ofSeconds(5);

    private final BundleContext context;
    private final Path base;
    private final LeaseStore service = new CurrentStore();
    private volatile SqlLeaseStore store;
    private ServiceRegistration<LeaseStore> registration;

    @Activate
    public PostgresqlLeaseStoreComponent(BundleContext context, Map<String, Object> properties) {
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
        SqlLeaseStore current = store;
        store = null;
        if (current != null) {
            current.close();
            LOG.info("PostgreSQL lease store {} closed", current.settings().url());
        }
    }

    private synchronized void apply(Map<String, Object> properties) {
        SqlLeaseStore current = store;
        Optional<PostgresqlSettings> parsed = SettingsUpdate.apply(CONFIG_FILE, properties,
                config -> PostgresqlSettings.parse(config, System::getenv, base), LOG, current == null
                        ? "the PostgreSQL lease store is not running, so the DHCP server keeps its previous store"
                        : "still using " + current.settings().url() + " with the previous settings");
        if (parsed.isEmpty() || current != null && current.settings().equals(parsed.get())) {
            return;
        }
        PostgresqlSettings next = parsed.get();
        store = SqlLeaseStore.open(next, Clock.systemUTC(), FIRST_LOAD);
        if (current != null) {
            current.close();
        }
        if (registration == null) {
            registration = context.registerService(LeaseStore.class, service, serviceProperties());
        }
        LOG.info("Leases are kept in PostgreSQL at {} as {} (pool of {})", next.url(), next.user(), next.poolSize());
    }

    private static Dictionary<String, Object> serviceProperties() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("org.diskless.leases.kind", "postgresql");
        properties.put(Constants.SERVICE_RANKING, RANKING);
        return properties;
    }

    @Override
    public Optional<StoreStatus> status() {
        SqlLeaseStore current = store;
        return current == null ? Optional.empty() : Optional.of(current.status());
    }

    @Override
    public LeaseStore store() {
        return service;
    }

    /** The published service: always the store in force, so a new configuration is invisible to its users. */
    private final class CurrentStore implements LeaseStore {

        @Override
        public CompletionStage<Lease> commit(Lease lease) {
            SqlLeaseStore current = store;
            return current == null ? CompletableFuture.failedStage(new LeaseRefusedException(
                    "the PostgreSQL lease store is closed; the lease of " + lease.address().getHostAddress()
                            + " was not recorded")) : current.commit(lease);
        }

        @Override
        public Optional<Lease> byAddress(Inet4Address address) {
            SqlLeaseStore current = store;
            return current == null ? Optional.empty() : current.byAddress(address);
        }

        @Override
        public Optional<Lease> byClientId(String clientId) {
            SqlLeaseStore current = store;
            return current == null ? Optional.empty() : current.byClientId(clientId);
        }

        @Override
        public Collection<Lease> leases() {
            SqlLeaseStore current = store;
            return current == null ? List.of() : current.leases();
        }
    }
}
