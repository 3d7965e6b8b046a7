package org.diskless.support.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.diskless.api.boot.BootProtocol;
import org.diskless.api.stats.TransferInFlight;
import org.diskless.api.stats.TransfersInFlight;
import org.junit.jupiter.api.Test;

class PublishedTransfersTest {

    private static final Instant STARTED = Instant.parse("2026-12-08T01:00:00Z");

    private record Running(String clientName, String file, Instant started, long bytesSent, long totalBytes)
            implements RunningTransfer {
    }

    private final List<Running> running = new ArrayList<>();
    private final TransfersInFlight published = new PublishedTransfers(BootProtocol.HTTP, () -> List.copyOf(running)) {
    };

    @Test
    void eachRunningTransferIsPublishedUnderTheProtocolInTheServersOrder() {
        running.add(new Running("192.0.2.7:2070", "pxelinux.0", STARTED, 512, 26_000));
        running.add(new Running("192.0.2.8:2071", "vmlinuz", STARTED.plusSeconds(1), 0, 9_000_000));

        List<TransferInFlight> transfers = published.transfers();

        assertEquals(List.of(
                TransferInFlight.builder(BootProtocol.HTTP, "192.0.2.7:2070", "pxelinux.0", STARTED)
                        .bytesSent(512).size(26_000).build(),
                TransferInFlight.builder(BootProtocol.HTTP, "192.0.2.8:2071", "vmlinuz", STARTED.plusSeconds(1))
                        .size(9_000_000).build()), transfers);
        assertEquals(BootProtocol.HTTP, published.protocol());
    }

    @Test
    void aSizeNotKnownUpFrontIsPublishedAsUnknown() {
        running.add(new Running("239.255.1.1:1759 (group 239.255.1.1:1758)", "vmlinuz", STARTED, 4096, -1));

        assertEquals(OptionalLong.empty(), published.transfers().get(0).size());
    }

    @Test
    void readsTheServersTransfersAtEachCall() {
        assertEquals(List.of(), published.transfers());
        running.add(new Running("192.0.2.7:2070", "pxelinux.0", STARTED, 0, 1));

        assertEquals(1, published.transfers().size());
    }

    @Test
    void aClientIsNamedByItsAddressAndPort() throws Exception {
        assertEquals("192.0.2.7:2070",
                RunningTransfer.name(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 2070)));
    }
}
