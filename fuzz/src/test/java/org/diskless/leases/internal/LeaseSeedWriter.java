package org.diskless.leases.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.diskless.api.HardwareAddress;
import org.diskless.api.leases.Lease;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seeds of the lease fuzz targets from files the lease store itself writes: a journal
 * of commits of every state, client ids short, empty and long, a compaction's snapshot and the
 * journal after it. Run when the file format changes:
 * {@code mvn verify -pl fuzz -am -Dtest=LeaseSeedWriter -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfuzz.mode=0 -Dfuzz.seeds=$PWD/fuzz/src/test/resources}.
 */
@EnabledIfSystemProperty(named = "fuzz.seeds", matches = ".+")
class LeaseSeedWriter {

    private static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");
    private static final String SEGMENT = "org/diskless/leases/internal/LeaseSegmentFuzzTestInputs/scan";
    private static final String RECOVERY = "org/diskless/leases/internal/LeaseRecoveryFuzzTestInputs/recover";

    @Test
    void writeSeeds() throws Exception {
        Path resources = Path.of(System.getProperty("fuzz.seeds"));
        Path store = Files.createTempDirectory("lease-seeds");
        LeaseStoreSettings settings = LeaseStoreSettings.in(store).withJournalPreallocation(256);
        try (LeaseJournal journal = LeaseJournal.open(settings, LeaseJournal.Syncer.FORCE,
                Clock.fixed(NOW, ZoneOffset.UTC))) {
            Lease.State[] states = Lease.State.values();
            for (int n = 1; n <= 6; n++) {
                String clientId = switch (n) {
                    case 1 -> "";
                    case 2 -> "x".repeat(300);
                    default -> "01:52:54:00:00:00:0" + n;
                };
                journal.commit(Lease.of(clientId, mac(n), address(n), NOW, NOW.plus(Duration.ofHours(n)),
                        states[n % states.length])).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            byte[] firstJournal = Files.readAllBytes(settings.directory().resolve("journal-0000000001.log"));
            seed(resources, SEGMENT, "journal", concat(new byte[] {LeaseFiles.SEAL_HEADER}, firstJournal));
            seed(resources, RECOVERY, "journal", concat(new byte[] {0}, firstJournal));
            journal.compactNow().get(30, TimeUnit.SECONDS);
            journal.commit(Lease.of("01:52:54:00:00:00:09", mac(9), address(1), NOW, NOW.plusSeconds(0xFFFF_FFFFL),
                    Lease.State.BOUND)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            byte[] snapshot = Files.readAllBytes(settings.directory().resolve("snapshot-0000000002.dat"));
            byte[] secondJournal = Files.readAllBytes(settings.directory().resolve("journal-0000000002.log"));
            seed(resources, SEGMENT, "snapshot", concat(new byte[] {LeaseFiles.SEAL_HEADER | 4}, snapshot));
            seed(resources, SEGMENT, "journal-after-compaction", concat(new byte[] {LeaseFiles.SEAL_HEADER}, secondJournal));
            byte[] length = ByteBuffer.allocate(4).putInt(snapshot.length).array();
            seed(resources, RECOVERY, "snapshot-and-journal",
                    concat(new byte[] {4 | 8}, length, snapshot, secondJournal));
        } finally {
            LeaseFiles.deleteTree(store);
        }
    }

    private static void seed(Path resources, String directory, String name, byte[] content) throws Exception {
        Path target = resources.resolve(directory);
        Files.createDirectories(target);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content)).substring(0, 10);
        Files.write(target.resolve(name + "-" + hash), content);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    private static HardwareAddress mac(int n) {
        return HardwareAddress.ethernet(new byte[] {0x52, 0x54, 0, 0, 0, (byte) n});
    }

    private static Inet4Address address(int n) throws Exception {
        return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) 198, 18, 0, (byte) n});
    }
}
