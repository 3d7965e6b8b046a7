package org.diskless.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.nodes.Node;
import org.junit.jupiter.api.Test;

class CdfContextsTest {

    private static final BootContext UNKNOWN = BootContext.of(BootProtocol.RMP, new InetSocketAddress("192.0.2.30", 0));

    private static Node cnode(String name, List<String> hardwareContexts) {
        return Node.builder(name, HardwareAddress.parse("08:00:09:01:02:03")).hardwareContexts(hardwareContexts)
                .build();
    }

    @Test
    void cnodeNameThenRemoterootThenHardwareContextsBestFirstThenDefault() {
        BootContext context = UNKNOWN.withNode(cnode("hp350", List.of("HP-MC68020", "HP-MC68K")));
        assertEquals(List.of("hp350", "remoteroot", "HP-MC68020", "HP-MC68K", "default"), CdfContexts.of(context));
    }

    @Test
    void aNetworkClientNeverGetsTheServersLocalroot() {
        assertFalse(CdfContexts.of(UNKNOWN.withNode(cnode("c1", List.of()))).contains("localroot"));
    }

    @Test
    void anUnknownClientGetsOnlyTheGenericContexts() {
        assertEquals(List.of("remoteroot", "default"), CdfContexts.of(UNKNOWN));
    }

    @Test
    void aContextNamedLikeALaterOneIsTriedOnceAtItsBestPlace() {
        BootContext context = UNKNOWN.withNode(cnode("default", List.of("remoteroot", "HP-MC68030")));
        assertEquals(List.of("default", "remoteroot", "HP-MC68030"), CdfContexts.of(context));
    }

    @Test
    void namesThatCouldLeaveTheCdfAreNeverElementNames() {
        for (String bad : List.of("..", ".", "a/b", "a\\b", "", "x\u0001")) {
            assertFalse(CdfContexts.usableElementName(bad), bad);
        }
        BootContext context = UNKNOWN.withNode(cnode("ok", List.of("..")));
        assertEquals(List.of("ok", "remoteroot", "default"), CdfContexts.of(context));
    }
}
