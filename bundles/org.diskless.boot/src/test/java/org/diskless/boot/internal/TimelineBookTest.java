package org.diskless.boot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent.Kind;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.timeline.BootCounts;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

class TimelineBookTest {

    static final HardwareAddress MAC = HardwareAddress.parse("52:54:00:12:34:56");
    static final HardwareAddress OTHER_MAC = HardwareAddress.parse("52:54:00:00:00:02");
    static final InetAddress ANY = ip("0.0.0.0");
    static final InetAddress LEASED = ip("192.0.2.50");
    static final InetAddress FIXED = ip("192.0.2.21");
    static final Instant T0 = Instant.parse("2026-11-22T06:00:00Z");

    private final TimelineBook book = new TimelineBook(TimelineSettings.DEFAULTS,
            address -> address.equals(FIXED) ? Optional.of(OTHER_MAC) : Optional.empty());

    static BootEvent dhcp(double seconds, Kind kind, InetAddress client, HardwareAddress mac) {
        return BootEvent.builder(T0.plusMillis((long) (seconds * 1000)), BootProtocol.DHCP, kind, client)
                .hardwareAddress(mac).build();
    }

    static BootEvent tftp(double seconds, Kind kind, InetAddress client, String file, long bytes) {
        return BootEvent.builder(T0.plusMillis((long) (seconds * 1000)), BootProtocol.TFTP, kind, client).detail(file)
                .bytes(bytes).duration(Duration.ofMillis(50)).build();
    }

    /** A DISCOVER as a PXE ROM or UEFI firmware sends it: its architecture, no user class. */
    static BootEvent firmwareDiscover(double seconds, HardwareAddress mac) {
        return BootEvent.builder(T0.plusMillis((long) (seconds * 1000)), BootProtocol.DHCP, Kind.DISCOVER, ANY)
                .hardwareAddress(mac).detail("arch 0").build();
    }

    /** A DISCOVER as iPXE sends it: the architecture and its user class. */
    static BootEvent ipxeDiscover(double seconds, HardwareAddress mac) {
        return BootEvent.builder(T0.plusMillis((long) (seconds * 1000)), BootProtocol.DHCP, Kind.DISCOVER, ANY)
                .hardwareAddress(mac).detail("arch 7 user class iPXE").build();
    }

    /** DISCOVER, OFFER, REQUEST, ACK of {@code LEASED}, then the loader over TFTP, from {@code at} on. */
    private void pxeStart(double at, HardwareAddress mac) {
        book.record(firmwareDiscover(at, mac));
        book.record(dhcp(at + 0.01, Kind.OFFER, LEASED, mac));
        book.record(dhcp(at + 1, Kind.REQUEST, ANY, mac));
        book.record(dhcp(at + 1.01, Kind.ACK, LEASED, mac));
        book.record(tftp(at + 1.5, Kind.FILE_STARTED, LEASED, "pxelinux.0", 0));
        book.record(tftp(at + 1.6, Kind.FILE_SENT, LEASED, "pxelinux.0", 42_000));
    }

    private List<BootView> boots(HardwareAddress mac) {
        return book.boots(new ClientKey.Mac(mac));
    }

    @Test
    void aTftpEventWithoutMacJoinsTheBootOfTheMacDhcpAckedItsAddressTo() {
        pxeStart(0, MAC);
        List<BootView> boots = boots(MAC);
        assertEquals(1, boots.size());
        assertEquals(6, boots.get(0).eventCount());
        assertEquals(1, boots.get(0).files());
        assertEquals(42_000, boots.get(0).bytes());
        assertEquals(1, book.clientCount(), "no separate timeline for the bare address");
    }

    @Test
    void aTftpEventFromANodesFixedAddressJoinsThatNode() {
        book.record(tftp(0, Kind.FILE_SENT, FIXED, "vmlinuz", 100));
        assertEquals(1, boots(OTHER_MAC).size());
    }

    @Test
    void theLatestAckWinsOverTheFixedAddress() {
        book.record(dhcp(0, Kind.ACK, FIXED, MAC));
        book.record(tftp(1, Kind.FILE_SENT, FIXED, "vmlinuz", 100));
        assertEquals(2, boots(MAC).get(0).eventCount());
        assertTrue(boots(OTHER_MAC).isEmpty());
    }

    @Test
    void aClientNobodyCanNameHasATimelineByItsAddress() throws Exception {
        book.record(tftp(0, Kind.FILE_FAILED, ip("198.51.100.9"), "nothing: File not found", 0));
        assertEquals(1, book.boots(new ClientKey.Address(ip("198.51.100.9"))).size());
        assertEquals(new ClientKey.Address(ip("198.51.100.9")), book.keyOf(ip("198.51.100.9")));
        assertEquals(new ClientKey.Mac(OTHER_MAC), book.keyOf(FIXED));
    }

    @Test
    void aFirmwareDiscoverAfterTheBootGotFurtherStartsANewBoot() {
        pxeStart(0, MAC);
        book.record(tftp(5, Kind.FILE_FAILED, LEASED, "vmlinuz: timed out", 0));
        book.record(firmwareDiscover(40, MAC));
        List<BootView> boots = boots(MAC);
        assertEquals(2, boots.size());
        assertEquals(Kind.DISCOVER, boots.get(0).first().get(0).kind(), "newest first");
        assertEquals(1, boots.get(0).eventCount());
    }

    @Test
    void aRepeatedDiscoverOfAClientStillWaitingForAnAddressIsTheSameBoot() {
        book.record(firmwareDiscover(0, MAC));
        book.record(firmwareDiscover(4, MAC));
        book.record(dhcp(4.01, Kind.OFFER, LEASED, MAC));
        book.record(firmwareDiscover(12, MAC));
        assertEquals(1, boots(MAC).size());
        assertEquals(4, boots(MAC).get(0).eventCount());
    }

    @Test
    void twoPowerOnsSecondsApartAreTwoBoots() {
        pxeStart(0, MAC);
        book.record(firmwareDiscover(3, MAC)); // reset 1.4 s after pxelinux.0 arrived
        assertEquals(2, boots(MAC).size());
        assertEquals(1, boots(MAC).get(0).eventCount());
    }

    @Test
    void aChainloadedIpxeAsksDhcpInTheSameBootHoweverLongAfterTheFile() {
        pxeStart(0, MAC);
        book.record(ipxeDiscover(3, MAC));
        book.record(ipxeDiscover(300, MAC)); // a slow menu: still the same power-on
        assertEquals(1, boots(MAC).size());
        assertEquals(8, boots(MAC).get(0).eventCount());
    }

    @Test
    void anHttpBootFollowedByIpxeIsOneBoot() {
        // UEFI HTTP boot: the firmware fetches ipxe.efi from an HTTP server that reports no event here.
        book.record(BootEvent.builder(T0, BootProtocol.DHCP, Kind.DISCOVER, ANY).hardwareAddress(MAC)
                .detail("arch 16").build());
        book.record(dhcp(0.01, Kind.OFFER, LEASED, MAC));
        book.record(dhcp(1, Kind.REQUEST, ANY, MAC));
        book.record(dhcp(1.01, Kind.ACK, LEASED, MAC));
        book.record(ipxeDiscover(45, MAC));
        book.record(dhcp(45.01, Kind.OFFER, LEASED, MAC));
        assertEquals(1, boots(MAC).size());
        assertEquals(6, boots(MAC).get(0).eventCount());
    }

    @Test
    void theDhcpOfGrubOrAKernelNamesNoArchitectureAndContinuesTheBoot() {
        pxeStart(0, MAC);
        book.record(dhcp(60, Kind.DISCOVER, ANY, MAC));
        assertEquals(1, boots(MAC).size());
    }

    private static BootEvent refused(double seconds, String file) {
        return tftp(seconds, Kind.FILE_REFUSED, LEASED, file + ": refused with error 1, File not found", 0);
    }

    @Test
    void aMissingLoaderIsAFailureOfTheBoot() {
        book.record(firmwareDiscover(0, MAC));
        book.record(dhcp(1.01, Kind.ACK, LEASED, MAC));
        book.record(refused(1.5, "pxelinux.0"));
        BootView boot = boots(MAC).get(0);
        assertEquals(1, boot.failures());
        assertTrue(boot.isFailure(boot.first().get(2), 2));
    }

    /** A transfer the client ends at once with {@code error}, then the same file read through. */
    private BootView openedForItsSizeThenRead(String file, String error, long size) {
        pxeStart(0, MAC);
        book.record(tftp(2, Kind.FILE_STARTED, LEASED, file, 0));
        book.record(tftp(2.01, Kind.FILE_FAILED, LEASED, file + ": client sent " + error, 0));
        book.record(tftp(2.02, Kind.FILE_STARTED, LEASED, file, 0));
        book.record(tftp(2.5, Kind.FILE_SENT, LEASED, file, size));
        return boots(MAC).get(0);
    }

    @Test
    void edk2sSizeProbeIsNotAFailureOnceTheRealReadFollows() {
        BootView boot = openedForItsSizeThenRead("grubx64.efi", "error 8: User aborted the transfer", 2_000_000);
        assertEquals(0, boot.failures());
        assertEquals(BootView.NO_FAILURE, boot.failureFrom());
        assertEquals(2, boot.files());
    }

    @Test
    void grubClosingAFileItOpenedForItsSizeIsNotAFailure() {
        assertEquals(0, openedForItsSizeThenRead("grub/grub.cfg", "error 0: closed", 700).failures());
    }

    @Test
    void pxelinuxLookingForItsConfigBeforeDefaultIsNotAFailure() {
        pxeStart(0, MAC);
        book.record(refused(2, "pxelinux.cfg/6b0f2a8e-3c1d-4e5f-8a9b-0c1d2e3f4a5b"));
        book.record(refused(2.01, "pxelinux.cfg/01-52-54-00-12-34-56"));
        book.record(refused(2.02, "pxelinux.cfg/C000023"));
        assertEquals(3, boots(MAC).get(0).failures(), "while it has found nothing yet, the boot stands at a failure");
        book.record(tftp(2.03, Kind.FILE_STARTED, LEASED, "pxelinux.cfg/default", 0));
        book.record(tftp(2.04, Kind.FILE_SENT, LEASED, "pxelinux.cfg/default", 435));
        assertEquals(0, boots(MAC).get(0).failures());
    }

    @Test
    void theStepsABootStoppedAtAreItsFailuresAndTheFirstIsNumbered() {
        pxeStart(0, MAC);
        book.record(tftp(2, Kind.FILE_FAILED, LEASED, "vmlinuz: timed out after 5 retries", 1_000_000));
        book.record(dhcp(2.5, Kind.REQUEST, ANY, MAC)); // neither wrong nor going on
        book.record(tftp(3, Kind.FILE_REFUSED, LEASED, "vmlinuz: refused with error 0, server busy", 0));
        BootView boot = boots(MAC).get(0);
        assertEquals(2, boot.failures());
        assertEquals(6, boot.failureFrom());
        assertTrue(boot.isFailure(boot.first().get(6), 6));
        assertFalse(boot.isFailure(boot.first().get(7), 7), "a REQUEST is not a failure");
    }

    @Test
    void aNakTheClientGotPastIsNotAFailure() {
        book.record(firmwareDiscover(0, MAC));
        book.record(dhcp(0.5, Kind.REQUEST, ANY, MAC));
        book.record(dhcp(0.51, Kind.NAK, ANY, MAC));
        assertEquals(1, boots(MAC).get(0).failures());
        book.record(dhcp(1, Kind.DISCOVER, ANY, MAC));
        book.record(dhcp(2, Kind.ACK, LEASED, MAC));
        assertEquals(1, boots(MAC).size());
        assertEquals(0, boots(MAC).get(0).failures());
    }

    @Test
    void anyEventAfterALongQuietGapStartsANewBoot() {
        pxeStart(0, MAC);
        book.record(tftp(2 + TimelineSettings.DEFAULTS.quietGap().toSeconds(), Kind.FILE_SENT, LEASED, "vmlinuz", 5));
        List<BootView> boots = boots(MAC);
        assertEquals(2, boots.size());
        assertEquals(Kind.FILE_SENT, boots.get(0).first().get(0).kind());
    }

    @Test
    void aProxyDhcpDiscoverStartsABootToo() {
        pxeStart(0, MAC);
        book.record(tftp(5, Kind.FILE_SENT, LEASED, "vmlinuz", 5));
        book.record(BootEvent.builder(T0.plusSeconds(300), BootProtocol.PROXY_DHCP, Kind.DISCOVER, ANY)
                .hardwareAddress(MAC).detail("arch 7").build());
        assertEquals(2, boots(MAC).size());
    }

    @Test
    void onlyTheConfiguredNumberOfBootsIsKept() throws Exception {
        book.settings(parsed(Map.of("bootsPerNode", 2)));
        for (int boot = 0; boot < 5; boot++) {
            pxeStart(boot * 100, MAC);
        }
        List<BootView> boots = boots(MAC);
        assertEquals(2, boots.size());
        assertEquals(T0.plusSeconds(400), boots.get(0).started());
        assertEquals(T0.plusSeconds(300), boots.get(1).started());
    }

    @Test
    void aLongBootKeepsItsFirstAndLatestEventsAndCountsTheRest() throws Exception {
        book.settings(parsed(Map.of("eventsPerBoot", 6)));
        book.record(dhcp(0, Kind.ACK, LEASED, MAC));
        for (int i = 1; i <= 20; i++) {
            book.record(tftp(i, Kind.FILE_SENT, LEASED, "file" + i, 10));
        }
        BootView boot = boots(MAC).get(0);
        assertEquals(List.of(Kind.ACK, Kind.FILE_SENT, Kind.FILE_SENT), boot.first().stream().map(BootEvent::kind).toList());
        assertEquals("file2", boot.first().get(2).detail());
        assertEquals(List.of("file18", "file19", "file20"), boot.latest().stream().map(BootEvent::detail).toList());
        assertEquals(15, boot.omitted());
        assertEquals(21, boot.eventCount());
        assertEquals(20, boot.files(), "totals count every event, kept or not");
        assertEquals(200, boot.bytes());
        assertEquals("file20", boot.lastEvent().detail());
    }

    @Test
    void theLeastRecentlyActiveClientIsForgottenFirst() throws Exception {
        book.settings(parsed(Map.of("maxClients", 2)));
        book.record(dhcp(0, Kind.DISCOVER, ANY, MAC));
        book.record(dhcp(1, Kind.DISCOVER, ANY, OTHER_MAC));
        book.boots(new ClientKey.Mac(MAC)); // reading does not count as activity
        book.record(dhcp(2, Kind.REQUEST, ANY, OTHER_MAC));
        HardwareAddress third = HardwareAddress.parse("52:54:00:00:00:03");
        book.record(dhcp(3, Kind.DISCOVER, ANY, third));
        assertEquals(2, book.clientCount());
        assertTrue(boots(MAC).isEmpty());
        assertEquals(1, boots(OTHER_MAC).size());
        assertEquals(1, boots(third).size());
    }

    @Test
    void memoryStaysBoundedWithThousandsOfClients() throws Exception {
        book.settings(parsed(Map.of("maxClients", 1000, "eventsPerBoot", 10, "bootsPerNode", 1)));
        long kept = 0;
        for (int n = 0; n < 5000; n++) {
            HardwareAddress mac = HardwareAddress.ethernet(new byte[] {0x52, 0x54, 0, 0, (byte) (n >> 8), (byte) n});
            for (int e = 0; e < 30; e++) {
                book.record(dhcp(n + e * 0.001, Kind.DISCOVER, ANY, mac));
            }
        }
        assertEquals(1000, book.clientCount());
        for (BootView boot : book.lastBoots()) {
            kept += boot.first().size() + boot.latest().size();
        }
        assertEquals(1000 * 10, kept);
    }

    @Test
    void aDetailIsKeptWithControlCharactersEscapedAndCutToItsCap() {
        book.record(dhcp(0, Kind.ACK, LEASED, MAC));
        book.record(tftp(1, Kind.FILE_FAILED, LEASED, "vm\u001b[2Jlinuz\r\n: not found", 0));
        book.record(tftp(2, Kind.FILE_FAILED, LEASED, "x".repeat(9000) + ": not found", 0));
        List<BootEvent> kept = boots(MAC).get(0).first();
        assertEquals("vm\\x1b[2Jlinuz\\r\\n: not found", kept.get(1).detail());
        assertEquals("x".repeat(KeptEvent.MAX_DETAIL_CHARS) + "…(" + (9011 - KeptEvent.MAX_DETAIL_CHARS) + " more)",
                kept.get(2).detail());
    }

    /** Two full boots of {@code mac}, every event with a detail cut to the cap, from {@code at} on. */
    private void twoFullBoots(TimelineBook into, double at, HardwareAddress mac) {
        for (int i = 0; i < 80; i++) { // the second boot after a quiet gap
            into.record(BootEvent.builder(T0.plusMillis((long) ((at + i / 40 * 1000 + i * 0.01) * 1000)),
                    BootProtocol.TFTP, Kind.FILE_FAILED, LEASED).hardwareAddress(mac).detail("y".repeat(1000)).build());
        }
    }

    @Test
    void theByteBudgetForgetsTheLeastRecentlyActiveClientsFirst() throws Exception {
        long oneClient = TimelineSettings.maxClientBytes(2, 40);
        book.settings(parsed(Map.of("maxBytes", oneClient)));
        twoFullBoots(book, 0, OTHER_MAC);
        assertEquals(2, boots(OTHER_MAC).size());
        twoFullBoots(book, 5000, MAC);
        assertTrue(boots(OTHER_MAC).isEmpty(), "the older client no longer fits beside the newer");
        assertEquals(2, boots(MAC).size());
        assertEquals(80, boots(MAC).get(0).eventCount() + boots(MAC).get(1).eventCount());
        assertTrue(book.retainedBytes() <= oneClient, book.retainedBytes() + " > " + oneClient);
    }

    @Test
    void aByteBudgetSmallerThanOneClientsHistoryIsRefused() {
        long oneClient = TimelineSettings.maxClientBytes(2, 40);
        InvalidSettingException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingException.class,
                () -> parsed(Map.of("maxBytes", oneClient - 1)));
        assertTrue(e.getMessage().startsWith("'maxBytes = " + (oneClient - 1) + "': must be between " + oneClient),
                e.getMessage());
    }

    /**
     * The heap exhaustion of the hardening issue: REQUESTs to port 4011 carrying kilobytes of
     * option text from random MACs. Whatever they carry, the store holds no more than its byte
     * budget, and its own count of what it holds agrees with the heap the JVM measures.
     */
    @Test
    void aFloodOfLargeDetailsFromRandomMacsStaysWithinTheByteBudget() throws Exception {
        long budget = 8L << 20;
        Random random = new Random(24);
        long heapBefore = usedHeapAfterGc();
        TimelineBook flooded = new TimelineBook(parsed(Map.of("maxBytes", budget, "maxClients", 1_000_000)),
                address -> Optional.empty());
        Kind[] kinds = {Kind.DISCOVER, Kind.REQUEST, Kind.FILE_FAILED};
        for (int n = 0; n < 200_000; n++) {
            byte[] mac = {0x02, 0, 0, (byte) random.nextInt(16), (byte) random.nextInt(256), (byte) random.nextInt(256)};
            String option77 = "PXEClient:" + Long.toHexString(random.nextLong()) + "\u001b[2J" + "u".repeat(8192);
            flooded.record(BootEvent.builder(T0.plusMillis(n), BootProtocol.PROXY_DHCP, kinds[n % kinds.length], ANY)
                    .hardwareAddress(HardwareAddress.ethernet(mac)).detail(option77).build());
        }
        long accounted = flooded.retainedBytes();
        long heapHeld = usedHeapAfterGc() - heapBefore;
        assertTrue(accounted <= budget, "the store counts " + accounted + " bytes, over its budget " + budget);
        assertTrue(accounted > budget / 2, "the flood should fill the budget: " + accounted);
        // Generous: the JVM's own measure is coarse, and a map's table grows in steps.
        assertTrue(heapHeld < accounted * 3 / 2 + (1 << 20), "the heap grew by " + heapHeld
                + " bytes while the store counts " + accounted + " (" + flooded.clientCount() + " clients)");
        assertTrue(flooded.clientCount() > 1000, "kept " + flooded.clientCount() + " clients");
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    // ------------------------------------------------------------------ many event loops at once

    private static HardwareAddress client(int n) {
        return HardwareAddress.ethernet(new byte[] {0x52, 0x54, 0, 0, (byte) (n >> 8), (byte) n});
    }

    /** Runs {@code work(thread)} on {@code threads} threads at once and waits for all of them. */
    private static void inParallel(int threads, IntConsumer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(pool.submit(() -> {
                    start.await();
                    work.accept(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : running) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** What the book should count for what it keeps, recounted from what it shows. */
    private static long recount(TimelineBook book) {
        long bytes = 0;
        for (BootView last : book.lastBoots()) {
            bytes += KeptEvent.CLIENT_BYTES;
            for (BootView boot : book.boots(last.client())) {
                bytes += KeptEvent.BOOT_BYTES;
                for (BootEvent event : boot.first()) {
                    bytes += KeptEvent.retainedBytes(event);
                }
                for (BootEvent event : boot.latest()) {
                    bytes += KeptEvent.retainedBytes(event);
                }
            }
        }
        return bytes;
    }

    @Test
    void threadsRecordingForTheSameClientsLoseNoEvent() throws Exception {
        TimelineBook shared = new TimelineBook(parsed(Map.of("quietGap", 7 * 24 * 3600)),
                address -> Optional.empty());
        int threads = 8;
        int perThread = 20_000;
        int clients = 50;
        inParallel(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                shared.record(BootEvent.builder(T0.plusMillis(i), BootProtocol.TFTP, Kind.FILE_SENT, LEASED)
                        .hardwareAddress(client((thread * 7 + i) % clients)).detail("file" + i).bytes(3).build());
            }
        });
        long events = 0;
        long files = 0;
        long bytes = 0;
        for (int n = 0; n < clients; n++) {
            List<BootView> boots = shared.boots(new ClientKey.Mac(client(n)));
            assertEquals(1, boots.size(), "files sent never start a new boot");
            events += boots.get(0).eventCount();
            files += boots.get(0).files();
            bytes += boots.get(0).bytes();
        }
        assertEquals((long) threads * perThread, events);
        assertEquals((long) threads * perThread, files);
        assertEquals(3L * threads * perThread, bytes);
        assertEquals(recount(shared), shared.retainedBytes());
    }

    @Test
    void threadsRecordingPastTheBoundsLeaveTheBookWithinThem() throws Exception {
        long maxBytes = 4 * TimelineSettings.maxClientBytes(2, 40);
        TimelineBook shared = new TimelineBook(parsed(Map.of("maxClients", 16, "maxBytes", maxBytes)),
                address -> Optional.empty());
        Kind[] kinds = {Kind.DISCOVER, Kind.OFFER, Kind.REQUEST, Kind.FILE_SENT, Kind.FILE_FAILED};
        inParallel(8, thread -> {
            Random random = new Random(thread);
            for (int i = 0; i < 20_000; i++) {
                shared.record(BootEvent.builder(T0.plusMillis(i), BootProtocol.DHCP, kinds[random.nextInt(kinds.length)],
                        ANY).hardwareAddress(client(random.nextInt(64))).detail("d".repeat(random.nextInt(600))).build());
            }
        });
        assertTrue(shared.clientCount() <= 16, shared.clientCount() + " clients");
        assertTrue(shared.retainedBytes() <= maxBytes, shared.retainedBytes() + " bytes");
        assertEquals(shared.clientCount(), shared.lastBoots().size());
        assertEquals(recount(shared), shared.retainedBytes(), "the running count matches what is kept");
    }

    @Test
    void aSlowInventoryLookupForOneClientHoldsUpNoOther() throws Exception {
        CountDownLatch looking = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        TimelineBook slowInventory = new TimelineBook(TimelineSettings.DEFAULTS, address -> {
            looking.countDown();
            try {
                answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(OTHER_MAC);
        });
        CompletableFuture<Void> tftpLoop = CompletableFuture.runAsync(
                () -> slowInventory.record(tftp(0, Kind.FILE_SENT, FIXED, "vmlinuz", 1)));
        assertTrue(looking.await(30, TimeUnit.SECONDS));
        CompletableFuture.runAsync(() -> slowInventory.record(dhcp(0, Kind.DISCOVER, ANY, MAC)))
                .get(10, TimeUnit.SECONDS);
        assertEquals(1, slowInventory.boots(new ClientKey.Mac(MAC)).size());
        answer.countDown();
        tftpLoop.get(30, TimeUnit.SECONDS);
        assertEquals(1, slowInventory.boots(new ClientKey.Mac(OTHER_MAC)).size());
    }

    // ---------------------------------------------------------------- counts (BootStatistics)

    @Test
    void aBootFinishesWhenItsClientBeginsAnotherAndFailsWhenItStoppedAtAFailure() {
        book.record(firmwareDiscover(0, MAC));
        book.record(dhcp(1.01, Kind.ACK, LEASED, MAC));
        book.record(refused(1.5, "pxelinux.0"));
        assertEquals(new Counts(1, 0, 0, 1), counts(2));

        pxeStart(30, MAC); // powered on again: the first boot is over, failed after 1.5 s
        BootCounts counts = book.counts(T0.plusSeconds(32));
        assertEquals(new Counts(2, 0, 1, 1), Counts.of(counts));
        assertEquals(1, counts.durations().count());
        assertEquals(Duration.ofMillis(1500), counts.durations().sum());
    }

    @Test
    void aBootFinishesAfterTheQuietGapCompletedWhenNothingStoppedIt() {
        pxeStart(0, MAC);
        book.record(tftp(2, Kind.FILE_FAILED, LEASED, "pxelinux.cfg/01-52-54-00-12-34-56: not found", 0));
        book.record(tftp(3, Kind.FILE_SENT, LEASED, "vmlinuz", 5_000_000));
        Duration gap = TimelineSettings.DEFAULTS.quietGap();

        assertEquals(new Counts(1, 0, 0, 1), counts(3 + gap.toSeconds()), "quiet for the gap, not longer");
        assertEquals(new Counts(1, 1, 0, 0), counts(4 + gap.toSeconds()));
        assertEquals(new Counts(1, 1, 0, 0), counts(5 + gap.toSeconds()), "finished once");
        assertEquals(Duration.ofSeconds(3), book.counts(T0).durations().sum());
    }

    @Test
    void aForgottenClientsBootFinishesAsItStandsAndARestoredBootIsNotCountedAgain() throws Exception {
        book.settings(parsed(Map.of("maxClients", 1)));
        pxeStart(0, MAC);
        pxeStart(1, OTHER_MAC); // MAC is forgotten

        assertEquals(new Counts(2, 1, 0, 1), counts(3));

        TimelineBook restarted = new TimelineBook(TimelineSettings.DEFAULTS, address -> Optional.empty());
        restarted.restore(book.lastBoots());
        assertEquals(new Counts(0, 0, 0, 0), Counts.of(restarted.counts(T0.plus(Duration.ofDays(1)))));
    }

    private record Counts(long started, long completed, long failed, long inProgress) {
        static Counts of(BootCounts c) {
            return new Counts(c.started(), c.completed(), c.failed(), c.inProgress());
        }
    }

    private Counts counts(double atSeconds) {
        return Counts.of(book.counts(T0.plusMillis((long) (atSeconds * 1000))));
    }

    @Test
    void lastBootsListsTheMostRecentlyActiveClientFirst() {
        pxeStart(0, MAC);
        book.record(dhcp(10, Kind.DISCOVER, ANY, OTHER_MAC));
        book.record(tftp(20, Kind.FILE_SENT, LEASED, "vmlinuz", 1));
        List<BootView> last = book.lastBoots();
        assertEquals(new ClientKey.Mac(MAC), last.get(0).client());
        assertEquals(new ClientKey.Mac(OTHER_MAC), last.get(1).client());
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("quietGap", "soon"),
                Map.of("eventsPerBoot", 2), Map.of("maxClients", 0), Map.of("bootsPerNode", "-1"))) {
            String key = bad.keySet().iterator().next();
            InvalidSettingException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingException.class,
                    () -> parsed(bad));
            assertTrue(e.getMessage().startsWith("'" + key + " = "), e.getMessage());
        }
    }

    static TimelineSettings parsed(Map<String, ?> properties) throws InvalidSettingException {
        return TimelineSettings.parse(Config.of(properties));
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
