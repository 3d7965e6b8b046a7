package org.diskless.itests;

import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.diskless.itests.DisklessServer.poll;
import static org.diskless.itests.DisklessServer.unique;
import static org.diskless.itests.Transfers.MIB;
import static org.diskless.itests.Transfers.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Console commands over SSH: tftp:stats and tftp:transfers against real transfers, the nodes:*
 * commands against a restart of the server that wipes its data/, and a user's mistakes.
 */
class ShellCommandsIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    private static final Duration SETTLE = Duration.ofSeconds(10);

    @Test
    void statsCountOneMoreCompletedTransferAndItsBytesAfterAGet() {
        String name = unique("counted-", ".bin");
        long size = 300_000;
        Path file = server.randomFileInTftpboot(name, size);
        String before = server.shell("tftp:stats");
        long completedBefore = counter(before, "Completed");
        long bytesBefore = counter(before, "Bytes sent");

        Path got = server.clientDir().resolve(name);
        Exec.Result r = server.client("curl", "-sS", "--tftp-blksize", "1428", "tftp://" + SERVER_IP + "/" + name,
                "-o", got.toString());
        assertSameBytes(file, got, r);

        // The server counts a read as completed on the client's last ACK, which may land just after curl exits.
        Optional<String> after = poll(SETTLE, Duration.ofMillis(200), () -> server.shell("tftp:stats"),
                s -> counter(s, "Completed") > completedBefore);
        if (after.isEmpty()) {
            fail("'Completed' did not grow after a successful get:\nbefore:\n" + before + "\nnow:\n"
                    + server.shell("tftp:stats"));
        }
        assertEquals(completedBefore + 1, counter(after.get(), "Completed"), () -> "before:\n" + before + "\nafter:\n" + after.get());
        long bytesAfter = counter(after.get(), "Bytes sent");
        if (counter(after.get(), "Retransmissions") == counter(before, "Retransmissions")) {
            assertEquals(bytesBefore + size, bytesAfter, () -> "before:\n" + before + "\nafter:\n" + after.get());
        } else {
            // A block sent again counts twice: only a lower bound holds then.
            assertTrue(bytesAfter >= bytesBefore + size, () -> "before:\n" + before + "\nafter:\n" + after.get());
        }
    }

    @Test
    void transfersSaysSoWhenIdle() {
        String out = server.shell("tftp:transfers");
        assertEquals("No TFTP transfers in progress.", out.strip());
    }

    @Test
    void transfersListsAGetInProgressWithItsClientFileAndBlockSize() {
        // 40 MiB in 512-byte blocks, one at a time, takes seconds: long enough to be seen.
        String name = unique("slow-", ".bin");
        Path file = server.randomFileInTftpboot(name, 40 * MIB);
        Path got = server.clientDir().resolve(name);
        Exec.Running download = server.clientAsync("tftp", SERVER_IP, "-m", "binary", "-c", "get", name, got.toString());
        Optional<String> listed;
        Exec.Result r;
        try {
            listed = poll(Duration.ofSeconds(15), Duration.ofMillis(100), () -> server.shell("tftp:transfers"),
                    out -> out.contains(name) || !download.isAlive());
        } finally {
            r = download.await(Duration.ofSeconds(120));
        }
        assertTrue(listed.isPresent() && listed.get().contains(name),
                () -> "tftp:transfers never listed " + name + " while it was being sent; last output:\n"
                        + listed.orElse("(timed out)") + "\n" + r.describe());
        String row = listed.get().lines().filter(l -> l.contains(name)).findFirst().orElseThrow();
        assertTrue(row.contains(DisklessServer.CLIENT_IP) && row.contains("get") && row.contains("512/1"),
                () -> "expected the client address, 'get' and '512/1' in the row:\n" + listed.get());
        assertSameBytes(file, got, r);
    }

    @Test
    void nodesAddedAndImportedAreFilesInEtcThatSurviveAStopAndAWipeOfData() throws IOException {
        server.shell("nodes:add --address 198.18.5.71 --boot kernel=images/vmlinuz --boot initrd=images/initrd.gz"
                + " --boot append=console=ttyS0,115200 sc-node01 52:54:00:5e:07:01");
        Path ethers = server.clientDir().resolve("ethers");
        Files.writeString(ethers, "52:54:00:5e:07:02 sc-node02\n52:54:00:5e:07:03 sc-node03\n");
        server.shell("nodes:import ethers " + ethers);
        server.shell("nodes:remove sc-node03");
        Path etc = server.etc();
        assertTrue(Files.exists(etc.resolve("org.diskless.node-sc-node01.cfg")), "nodes:add writes the node's file");
        assertTrue(Files.exists(etc.resolve("org.diskless.node-sc-node02.cfg")), "nodes:import writes a file per node");
        assertFalse(Files.exists(etc.resolve("org.diskless.node-sc-node03.cfg")), "nodes:remove deletes the file");
        String pxelinuxConfig = "pxelinux.cfg/01-52-54-00-5e-07-01";
        assertTrue(poll(SETTLE, Duration.ofMillis(200), () -> server.tftpText(pxelinuxConfig), Optional::isPresent).isPresent(),
                () -> "the node is not served before the restart:\n" + server.shell("nodes:list"));

        server.stop();
        wipe(server.home().resolve("data"));
        server.restart();

        Optional<String> listed = poll(SETTLE, Duration.ofMillis(300), () -> server.shell("nodes:list"),
                out -> out.contains("sc-node01") && out.contains("sc-node02"));
        assertTrue(listed.isPresent(), () -> "nodes lost with data/:\n" + server.shell("nodes:list"));
        assertFalse(listed.get().contains("sc-node03"), listed.get());
        String row = listed.get().lines().filter(l -> l.contains("sc-node01")).findFirst().orElseThrow();
        assertTrue(row.contains("52:54:00:5e:07:01") && row.contains("198.18.5.71"), listed.get());
        Optional<String> served = server.tftpText(pxelinuxConfig);
        assertTrue(served.isPresent() && served.get().contains("KERNEL images/vmlinuz"),
                () -> "the node is listed but not served after the restart: " + served);
        assertTrue(served.get().contains(" console=ttyS0,115200"), () -> "a boot file value keeps its comma: " + served);
    }

    @Test
    void statsAccountForAMissingFileAndACompletedGetAndTheOutcomesAddUp() {
        String name = unique("accounted-", ".bin");
        Path file = server.randomFileInTftpboot(name, 4096);
        Exec.Result missing = server.client("curl", "-sS", "tftp://" + SERVER_IP + "/" + unique("missing-", ".bin"),
                "-o", server.clientDir().resolve("missing").toString());
        assertFalse(missing.ok(), missing::describe);
        Path got = server.clientDir().resolve(name);
        assertSameBytes(file, got, server.client("curl", "-sS", "tftp://" + SERVER_IP + "/" + name, "-o",
                got.toString()));
        // Once the last ACK is in, every request has its outcome: the line says that they add up.
        Optional<String> settled = poll(SETTLE, Duration.ofMillis(200), () -> server.shell("tftp:stats"),
                s -> s.contains("The outcomes add up to the "));
        assertTrue(settled.isPresent(), () -> server.shell("tftp:stats"));
        String stats = settled.get();
        assertTrue(counter(stats, "Not served") >= 1 && counter(stats, "ERROR 1 sent") >= 1, stats);
        assertFalse(stats.contains("{") || stats.contains("="), () -> "no Java map in the output:\n" + stats);
    }

    @Test
    void nodesListRightAfterNodesAddShowsTheNodeWithItsBootFiles() {
        String added = server.shell("nodes:add --boot kernel=images/vmlinuz sc-list01 52:54:00:5e:07:21");
        assertTrue(added.contains("Added node sc-list01"), added);
        String listed = server.shell("nodes:list");
        String row = listed.lines().filter(l -> l.contains("sc-list01")).findFirst()
                .orElseThrow(() -> new AssertionError("nodes:list right after nodes:add misses the node:\n" + listed));
        assertTrue(row.contains("kernel=images/vmlinuz"), listed);
    }

    @Test
    void aUsersMistakeIsOneLineOnTheConsoleAFailedCommandAndNothingInTheLog() {
        server.shell("nodes:add sc-dup01 52:54:00:5e:07:31");
        long mark = server.logMark();
        for (String mistake : new String[] {"nodes:add sc-dup01 52:54:00:5e:07:32", "nodes:import bootptab /etc/hosts",
                "nodes:remove sc-no-such-node", "dhcp:leases -s foo"}) {
            Exec.Result r = server.shellResult(mistake, Duration.ofSeconds(60));
            // Karaf writes "Error executing command: " before the message of a command run over ssh; ssh may add that
            // the server closed the connection. An exception's name or a stack trace must not be there.
            String said = (r.stdout() + r.stderr()).strip();
            assertFalse(r.ok(), () -> mistake + " should fail:\n" + r.describe());
            assertTrue(!said.contains("Exception") && !said.contains("\tat "), () -> mistake + ":\n" + r.describe());
            assertEquals(1, r.stdout().strip().lines().count() + r.stderr().strip().lines()
                    .filter(l -> !l.contains("closed")).count(), () -> mistake + ":\n" + r.describe());
        }
        Exec.Result leases = server.shellResult("dhcp:leases -s foo", Duration.ofSeconds(60));
        assertTrue((leases.stdout() + leases.stderr()).contains("No state 'foo': use one of offered, committing, bound,"
                + " declined"), leases::describe);
        String log = server.logSince(mark);
        assertFalse(log.contains("ERROR") || log.contains("Exception"), () -> "karaf.log after the mistakes:\n" + log);
    }

    private static void wipe(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static long counter(String stats, String label) {
        return DisklessServer.counter(stats, label);
    }
}
