package org.diskless.dhcp.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.diskless.dhcp.internal.DhcpMonitor;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

/** dhcp:clear-declines: which addresses it asks the server to free, and what the operator reads. */
class ClearDeclinesCommandTest {

    private final List<Optional<Inet4Address>> asked = new ArrayList<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private List<DhcpMonitor.LeaseView> freed = List.of();

    private String run(String argument) throws CommandException {
        ClearDeclinesCommand command = new ClearDeclinesCommand();
        command.monitor = new StubMonitor() {
            @Override
            public List<LeaseView> clearDeclines(Optional<Inet4Address> address) {
                asked.add(address);
                return freed;
            }
        };
        command.address = argument;
        command.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        command.execute();
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void allFreesEveryDeclinedAddress() throws Exception {
        freed = List.of(view("192.0.2.105"), view("192.0.2.106"));

        String out = run("all");

        assertEquals(List.of(Optional.empty()), asked);
        assertTrue(out.contains("freed 192.0.2.105 (declined by 52:54:00:00:00:01, node n1)"), out);
        assertTrue(out.contains("freed 192.0.2.106"), out);
    }

    @Test
    void anAddressFreesThatOne() throws Exception {
        String out = run("192.0.2.105");

        assertEquals(List.of(Optional.of((Inet4Address) InetAddress.getByName("192.0.2.105"))), asked);
        assertEquals("192.0.2.105 is not declined", out.strip());
    }

    @Test
    void neitherAnAddressNorAllIsAOneLineRefusalWithoutAskingTheServer() {
        for (String wrong : List.of("192.0.2.300", "lab-host", "192.0.2")) {
            CommandException refused = assertThrows(CommandException.class, () -> run(wrong));
            assertEquals("'" + wrong + "' is neither an IPv4 address (a.b.c.d) nor 'all'", refused.getMessage());
        }
        assertEquals(List.of(), asked);
    }

    private static DhcpMonitor.LeaseView view(String address) {
        return new DhcpMonitor.LeaseView(address, "52:54:00:00:00:01", "01:52:54:00:00:00:01", "declined",
                Instant.EPOCH, Optional.of("n1"));
    }
}
