package org.diskless.dhcp.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.junit.jupiter.api.Test;

/** dhcp:explain: what it asks the server for, and what the operator reads. */
class ExplainCommandTest {

    private final List<String> asked = new ArrayList<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private String run(String mac, Integer architecture, String userClass) {
        ExplainCommand command = new ExplainCommand();
        command.monitor = new StubMonitor() {
            @Override
            public List<String> explain(HardwareAddress address, Optional<ClientArchitecture> arch,
                                        Optional<String> user) {
                asked.add(address + " " + arch.map(ClientArchitecture::code) + " " + user);
                return List.of("1. a rule", "=> boot file x.efi");
            }
        };
        command.mac = mac;
        command.architecture = architecture;
        command.userClass = userClass;
        command.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        command.execute();
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsEveryLineTheServerExplainsWith() {
        assertEquals("1. a rule\n=> boot file x.efi\n", run("52:54:00:12:34:56", 7, "iPXE"));
        assertEquals(List.of("52:54:00:12:34:56 Optional[7] Optional[iPXE]"), asked);
    }

    @Test
    void aBadMacOrArchitectureIsToldAndNothingIsAsked() {
        assertEquals("'52:zz' is not a MAC address such as 52:54:00:12:34:56\n", run("52:zz", null, null));
        printed.reset();
        assertEquals("--arch 70000 is no option 93 code (0-65535)\n", run("52:54:00:12:34:56", 70000, null));
        assertEquals(List.of(), asked);
    }
}
