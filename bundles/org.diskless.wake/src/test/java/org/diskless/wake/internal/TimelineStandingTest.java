package org.diskless.wake.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.timeline.BootHistory;
import org.diskless.api.timeline.RecordedBoot;
import org.junit.jupiter.api.Test;

class TimelineStandingTest {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final WakeTarget NODE = new WakeTarget("node01", HardwareAddress.parse("52:54:00:00:00:01"),
            Optional.empty(), Optional.of("images/vmlinuz"));

    private final Map<HardwareAddress, RecordedBoot> boots = new HashMap<>();
    private final BootHistory history = mac -> Optional.ofNullable(boots.get(mac)).map(List::of).orElse(List.of());
    private final TimelineStanding standing = new TimelineStanding(() -> Optional.of(history), Duration.ofMinutes(10));

    @Test
    void aNodeWithoutAKeptBootOrWithAnOldOneIsFreeToWake() {
        assertEquals(Optional.empty(), standing.busy(NODE, T0));
        boots.put(NODE.mac(), boot(event(0, BootEvent.Kind.DISCOVER, "")));
        assertEquals(Optional.empty(), standing.busy(NODE, T0.plusSeconds(600)), "quiet for the whole window");
    }

    @Test
    void aNodeStillStepingThroughItsBootIsBusyWithItsLastStep() {
        boots.put(NODE.mac(), boot(event(0, BootEvent.Kind.DISCOVER, ""), event(3, BootEvent.Kind.FILE_SENT, "pxelinux.0")));

        assertEquals(Optional.of("boot in progress (last step 7 s ago: TFTP FILE_SENT pxelinux.0)"),
                standing.busy(NODE, T0.plusSeconds(10)));
    }

    @Test
    void aNodeThatGotItsKernelLatelyHasBooted() {
        boots.put(NODE.mac(), boot(event(0, BootEvent.Kind.DISCOVER, ""),
                event(20, BootEvent.Kind.FILE_SENT, "/images/vmlinuz")));

        assertEquals(Optional.of("booted 5 min ago (kernel sent)"), standing.busy(NODE, T0.plusSeconds(300)));
    }

    @Test
    void theKernelCountsWhenSentWholeAfterTheWakeUnderItsNameOrALoadersFolder() {
        Instant woken = T0.plusSeconds(10);
        boots.put(NODE.mac(), boot(event(12, BootEvent.Kind.FILE_STARTED, "images/vmlinuz")));
        assertFalse(standing.fetchedKernel(NODE, woken), "started is not fetched");

        boots.put(NODE.mac(), boot(event(5, BootEvent.Kind.FILE_SENT, "images/vmlinuz")));
        assertFalse(standing.fetchedKernel(NODE, woken), "sent before the wake");

        boots.put(NODE.mac(), boot(event(15, BootEvent.Kind.FILE_SENT, "images/vmlinuz.old")));
        assertFalse(standing.fetchedKernel(NODE, woken), "another file");

        boots.put(NODE.mac(), boot(event(15, BootEvent.Kind.FILE_SENT, "thirdparty/images/vmlinuz")));
        assertTrue(standing.fetchedKernel(NODE, woken));
    }

    @Test
    void withoutTimelinesNothingIsKnown() {
        TimelineStanding none = new TimelineStanding(Optional::empty, Duration.ofMinutes(10));
        assertFalse(none.available());
        assertEquals(Optional.empty(), none.busy(NODE, T0));
        assertFalse(none.fetchedKernel(NODE, T0));
    }

    static RecordedBoot boot(BootEvent... events) {
        return RecordedBoot.builder(events[0].time(), events[events.length - 1].time()).events(List.of(events)).build();
    }

    static BootEvent event(long seconds, BootEvent.Kind kind, String detail) {
        BootProtocol protocol = kind.name().startsWith("FILE") ? BootProtocol.TFTP : BootProtocol.DHCP;
        return BootEvent.builder(T0.plusSeconds(seconds), protocol, kind, InetAddress.getLoopbackAddress())
                .detail(detail).build();
    }
}
