package org.diskless.leases.internal;

import static org.diskless.leases.internal.TestLeases.address;
import static org.diskless.leases.internal.TestLeases.await;
import static org.diskless.leases.internal.TestLeases.lease;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.diskless.api.leases.Lease;
import org.diskless.api.leases.LeaseStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class LeaseStoreComponentTest {

    @TempDir
    Path temp;

    /** What the component registered, through a BundleContext that records it. */
    private LeaseStore registered;
    private final AtomicBoolean unregistered = new AtomicBoolean();
    private LeaseStoreComponent component;

    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                if (!method.getName().equals("registerService")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                registered = (LeaseStore) args[1];
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                        (registration, call, callArgs) -> {
                            if (call.getName().equals("unregister")) {
                                unregistered.set(true);
                                return null;
                            }
                            throw new UnsupportedOperationException(call.getName());
                        });
            });

    @AfterEach
    void deactivate() {
        if (component != null) {
            component.deactivate();
        }
    }

    private static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> config = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    @Test
    void theStoreIsPublishedOnceOpenAndRefusesCommitsAfterDeactivation() throws Exception {
        component = new LeaseStoreComponent(context, config("directory", temp.resolve("a").toString()));
        assertNotNull(registered);
        await(registered.commit(lease(1)));
        assertEquals(Optional.of(lease(1)), registered.byAddress(address(1)));
        component.deactivate();
        component = null;
        assertTrue(unregistered.get());
        ExecutionException refused = assertThrows(ExecutionException.class, () -> await(registered.commit(lease(2))));
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        try (LeaseJournal reopened = LeaseJournal.open(LeaseStoreSettings.in(temp.resolve("a")))) {
            assertEquals(List.of(lease(1)), List.copyOf(reopened.leases()), "deactivation released the directory");
        }
    }

    @Test
    void aBadConfigurationIsRefusedAndTheOpenStoreKeepsServing() throws Exception {
        Path a = temp.resolve("a");
        component = new LeaseStoreComponent(context, config("directory", a.toString()));
        await(registered.commit(lease(1)));
        component.modified(config("directory", temp.resolve("b").toString(), "compactionRatio", "often"));
        assertFalse(Files.exists(temp.resolve("b")), "nothing of the refused configuration was applied");
        await(registered.commit(lease(2)));
        assertEquals(2, registered.leases().size());
    }

    @Test
    void aDirectoryThatCannotBeOpenedLeavesNoServiceUntilFixed() throws Exception {
        Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
        component = new LeaseStoreComponent(context, config("directory", file.resolve("leases").toString()));
        assertNull(registered, "no store, no service: DHCP must not acknowledge leases nobody records");
        component.modified(config("directory", temp.resolve("good").toString()));
        assertNotNull(registered);
        await(registered.commit(lease(1)));
    }

    @Test
    void aStoreMissingItsSnapshotIsNotPublished() throws Exception {
        Path directory = temp.resolve("leases");
        try (LeaseJournal store = LeaseJournal.open(LeaseStoreSettings.in(directory).withJournalPreallocation(0))) {
            await(store.commit(lease(1)));
            store.compactNow().get(TestLeases.WAIT_SECONDS, TimeUnit.SECONDS);
        }
        Files.delete(directory.resolve("snapshot-0000000002.dat"));
        component = new LeaseStoreComponent(context, config("directory", directory.toString()));
        assertNull(registered, "an empty pool must not be served in place of the lost leases");
    }

    @Test
    void movingToAnotherDirectoryCarriesEveryLeaseEvenWithCommitsInFlight() throws Exception {
        Path a = temp.resolve("a");
        Path b = temp.resolve("b");
        component = new LeaseStoreComponent(context, config("directory", a.toString()));
        LeaseStore service = registered;
        for (int i = 0; i < 100; i++) {
            await(service.commit(lease(i)));
        }
        // b already holds a lease of its own for an address a does not know: it stays.
        try (LeaseJournal existing = LeaseJournal.open(LeaseStoreSettings.in(b))) {
            await(existing.commit(lease(500)));
            await(existing.commit(lease(5, 999))); // stale: a's lease for this address must win
        }
        Map<Integer, Lease> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService committers = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                int thread = t;
                running.add(committers.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        int n = 1000 + thread * 16 + i % 16;
                        Lease lease = lease(n, 100_000 + thread * 100_000 + i);
                        await(service.commit(lease));
                        acknowledged.put(n, lease);
                    }
                    return null;
                }));
            }
            Thread.sleep(200);
            component.modified(config("directory", b.toString()));
            Thread.sleep(200);
            stop.set(true);
            for (Future<?> committer : running) {
                committer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            committers.shutdownNow();
        }
        assertTrue(registered == service, "the service object stays; only the store behind it changed");
        component.deactivate();
        component = null;
        try (LeaseJournal moved = LeaseJournal.open(LeaseStoreSettings.in(b))) {
            for (int i = 0; i < 100; i++) {
                assertEquals(Optional.of(lease(i)), moved.byAddress(address(i)));
            }
            assertEquals(Optional.of(lease(500)), moved.byAddress(address(500)));
            acknowledged.forEach((n, lease) -> assertEquals(Optional.of(lease), moved.byAddress(address(n)),
                    "acknowledged during the move"));
        }
        try (LeaseJournal old = LeaseJournal.open(LeaseStoreSettings.in(a))) {
            assertTrue(old.leases().size() >= 100, "the old directory was closed and released, not wiped");
        }
    }
}
