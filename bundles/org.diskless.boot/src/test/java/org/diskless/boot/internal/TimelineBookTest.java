package org.diskless.boot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent.Kind;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
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

    /** DISCOVER, OFFER, REQUEST, ACK of {@code LEASED}, then the loader over TFTP, from {@code at} on. */
    private void pxeStart(double at, HardwareAddress mac) {
        book.record(dhcp(at, Kind.DISCOVER, ANY, mac));
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
    void aDiscoverAfterTheBootGotFurtherStartsANewBoot() {
        pxeStart(0, MAC);
        book.record(tftp(5, Kind.FILE_FAILED, LEASED, "vmlinuz: timed out", 0));
        book.record(dhcp(40, Kind.DISCOVER, ANY, MAC));
        List<BootView> boots = boots(MAC);
        assertEquals(2, boots.size());
        assertEquals(Kind.DISCOVER, boots.get(0).first().get(0).kind(), "newest first");
        assertEquals(1, boots.get(0).eventCount());
    }

    @Test
    void aRepeatedDiscoverOfAClientStillWaitingForAnAddressIsTheSameBoot() {
        book.record(dhcp(0, Kind.DISCOVER, ANY, MAC));
        book.record(dhcp(4, Kind.DISCOVER, ANY, MAC));
        book.record(dhcp(4.01, Kind.OFFER, LEASED, MAC));
        book.record(dhcp(12, Kind.DISCOVER, ANY, MAC));
        assertEquals(1, boots(MAC).size());
        assertEquals(4, boots(MAC).get(0).eventCount());
    }

    @Test
    void aDiscoverRightAfterAFileWasSentIsTheChainloadedLoaderOfTheSameBoot() {
        pxeStart(0, MAC);
        book.record(dhcp(3, Kind.DISCOVER, ANY, MAC)); // iPXE, 1.4 s after undionly.kpxe arrived
        assertEquals(1, boots(MAC).size());
        assertEquals(7, boots(MAC).get(0).eventCount());
    }

    @Test
    void aDiscoverLongAfterTheLastFileIsANewBoot() {
        pxeStart(0, MAC);
        book.record(dhcp(1.6 + TimelineSettings.DEFAULTS.chainloadWindow().toSeconds() + 1, Kind.DISCOVER, ANY, MAC));
        assertEquals(2, boots(MAC).size());
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
                .hardwareAddress(MAC).build());
        assertEquals(2, boots(MAC).size());
    }

    @Test
    void onlyTheConfiguredNumberOfBootsIsKept() throws Exception {
        book.settings(TimelineSettings.from(Map.of("bootsPerNode", 2)));
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
        book.settings(TimelineSettings.from(Map.of("eventsPerBoot", 6)));
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
        book.settings(TimelineSettings.from(Map.of("maxClients", 2)));
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
        book.settings(TimelineSettings.from(Map.of("maxClients", 1000, "eventsPerBoot", 10, "bootsPerNode", 1)));
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
            TimelineSettings.InvalidSettingException e = org.junit.jupiter.api.Assertions.assertThrows(
                    TimelineSettings.InvalidSettingException.class, () -> TimelineSettings.from(bad));
            assertTrue(e.getMessage().startsWith("'" + key + "'"), e.getMessage());
        }
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
