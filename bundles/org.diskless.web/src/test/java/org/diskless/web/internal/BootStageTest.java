package org.diskless.web.internal;

import static org.diskless.web.internal.JsonTest.MAC;
import static org.diskless.web.internal.JsonTest.T0;
import static org.diskless.web.internal.JsonTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootEvent.Kind;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.nodes.Node;
import org.diskless.api.timeline.RecordedBoot;
import org.junit.jupiter.api.Test;

class BootStageTest {

    private static final Node NODE = Node.builder("pc01", MAC).bootFile("kernel", "boot/vmlinuz")
            .bootFile("initrd", "/boot/initrd.gz").build();

    private final List<BootEvent> events = new ArrayList<>();

    private BootStage after(Kind kind, BootProtocol protocol, String detail) {
        events.add(BootEvent.builder(T0.plusSeconds(events.size()), protocol, kind, ip("192.0.2.10"))
                .hardwareAddress(MAC).detail(detail).build());
        return BootStage.of(NODE, Optional.of(RecordedBoot.builder(T0, events.get(events.size() - 1).time())
                .events(events).build()));
    }

    @Test
    void aTileFollowsTheBootFromDhcpThroughItsFilesToDone() {
        assertEquals(BootStage.WAITING, BootStage.of(NODE, Optional.empty()));
        assertEquals(BootStage.DHCP, after(Kind.DISCOVER, BootProtocol.DHCP, "arch 0"));
        assertEquals(BootStage.DHCP, after(Kind.ACK, BootProtocol.DHCP, ""));
        assertEquals(BootStage.LOADER, after(Kind.FILE_SENT, BootProtocol.TFTP, "pxelinux.0"));
        assertEquals(BootStage.LOADER, after(Kind.FILE_SENT, BootProtocol.TFTP, "pxelinux.cfg/default"));
        assertEquals(BootStage.KERNEL, after(Kind.FILE_STARTED, BootProtocol.TFTP, "boot/vmlinuz"));
        assertEquals(BootStage.KERNEL, after(Kind.FILE_SENT, BootProtocol.TFTP, "boot/vmlinuz"));
        assertEquals(BootStage.RAMDISK, after(Kind.FILE_STARTED, BootProtocol.HTTP, "/boot/initrd.gz"));
        assertEquals(BootStage.DONE, after(Kind.FILE_SENT, BootProtocol.HTTP, "/boot/initrd.gz"));
    }

    @Test
    void aBootWithFailuresIsFailedWhateverItFetched() {
        BootEvent refused = BootEvent.builder(T0, BootProtocol.TFTP, Kind.FILE_REFUSED, ip("192.0.2.10"))
                .detail("boot/vmlinuz: file not found").build();
        RecordedBoot boot = RecordedBoot.builder(T0, T0).events(List.of(refused)).failures(List.of(refused)).build();

        assertEquals(BootStage.FAILED, BootStage.of(NODE, Optional.of(boot)));
        assertEquals(Optional.of("TFTP FILE_REFUSED: boot/vmlinuz: file not found"), BootStage.reason(Optional.of(boot)));
    }

    @Test
    void aRefusalTheClientWentOnFromIsNoFailure() {
        after(Kind.FILE_REFUSED, BootProtocol.TFTP, "pxelinux.cfg/01-52-54-00-12-34-56: file not found");
        assertEquals(BootStage.LOADER, after(Kind.FILE_SENT, BootProtocol.TFTP, "pxelinux.cfg/default"),
                "failures are the boot bundle's to judge (RecordedBoot.failures), none here");
    }

    @Test
    void aFileWhoseNameOnlyEndsLikeTheKernelIsNotTheKernel() {
        assertEquals(BootStage.LOADER, after(Kind.FILE_SENT, BootProtocol.TFTP, "other-boot/vmlinuz.sig"));
    }
}
