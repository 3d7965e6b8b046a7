package org.diskless.support.bootconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.diskless.api.HardwareAddress;
import org.junit.jupiter.api.Test;

class ClusterconfTest {

    private static final String CLUSTERCONF = """
            # /etc/clusterconf -- HP-UX 9.0 cluster of Series 300/400
            # machine ID:cnode ID:cnode name:type:swap:csp
            080009123456:
            080009123456:1:hpserv:r:1:4
            08000901abcd:2:hp370a:c:1:0
            08000901ABCE:3:hp370b:c:3:0
            08000901abcf:2:hp370c:c:1:0
            08000901abd0:4:hp340longname:c:1:0
            0800091:5:hp340:c:1:0
            08000901abd2:6:hp345:x:1:0
            08000901abd3:7:HP370A:c:1:0
            08000901abcd:8:hp382:c:1:0
            08000901abd4:9:hp_382:c:1:0
            08000901abd5
            """;

    private final Parsed<Clusterconf.Cnode> parsed = Clusterconf.parse(CLUSTERCONF.lines().toList());

    @Test
    void readsTheServerAndTheClientsAfterTheServerAddressLine() {
        assertEquals(List.of("hpserv", "hp370a", "hp370b"), parsed.entries().stream().map(Clusterconf.Cnode::name)
                .toList());
        Clusterconf.Cnode server = parsed.entries().get(0);
        assertEquals(new Clusterconf.Cnode(4, HardwareAddress.parse("08:00:09:12:34:56"), 1, "hpserv", true), server);
        assertEquals(HardwareAddress.parse("08:00:09:01:ab:ce"), parsed.entries().get(2).machineId());
        assertEquals(false, parsed.entries().get(2).rootServer());
    }

    @Test
    void namesEveryUnusableLineAndWhy() {
        assertEquals(List.of(7, 8, 9, 10, 11, 12, 13, 14), parsed.problems().stream().map(LineProblem::line).toList());
        List<String> reasons = parsed.problems().stream().map(LineProblem::reason).toList();
        assertTrue(reasons.get(0).contains("cnode ID 2 is already used on line 5"), reasons.toString());
        assertTrue(reasons.get(1).contains("1 to 8 characters"), reasons.toString());
        assertTrue(reasons.get(2).contains("machine ID '0800091'"), reasons.toString());
        assertTrue(reasons.get(3).contains("type 'x'"), reasons.toString());
        assertTrue(reasons.get(4).contains("cnode name HP370A is already used on line 5"), "names compare without case");
        assertTrue(reasons.get(5).contains("machine ID 08000901abcd is already used on line 5"), reasons.toString());
        assertTrue(reasons.get(6).contains("'hp_382' is not a host name"), reasons.toString());
        assertTrue(reasons.get(7).contains("found 1 field(s)"), reasons.toString());
    }

    @Test
    void anEmptyFirstLineIsTheOldHeader() {
        Parsed<Clusterconf.Cnode> old = Clusterconf.parse(List.of("# HP-UX 6.2", "", "08000901abcd:2:hp320:c:1:0"));
        assertEquals(List.of("hp320"), old.entries().stream().map(Clusterconf.Cnode::name).toList());
        assertEquals(List.of(), old.problems());
    }
}
