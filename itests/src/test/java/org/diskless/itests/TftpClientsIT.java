package org.diskless.itests;

import static org.diskless.itests.DisklessServer.SERVER_IP;
import static org.diskless.itests.DisklessServer.poll;
import static org.diskless.itests.DisklessServer.unique;
import static org.diskless.itests.Transfers.KIB;
import static org.diskless.itests.Transfers.MIB;
import static org.diskless.itests.Transfers.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TFTP server as real clients see it: atftp (blksize, tsize, windowsize), curl, tftp-hpa (512-byte
 * blocks only) and busybox, over a veth pair. Every file is made by the test with random content and
 * compared byte for byte.
 */
class TftpClientsIT {

    @RegisterExtension
    static final DisklessServer server = new DisklessServer();

    /** Not a multiple of any block size used here, so the last block is a short one. */
    private static final long ODD_SIZE = 3 * MIB + 777;
    private static final long FORTY_MIB = 40 * MIB;

    private static void awaitSettingsLogged(long mark, String setting) {
        assertTrue(server.awaitLogLine(mark, Duration.ofSeconds(20), "etc/org.diskless.tftp.cfg updated", setting).isPresent(),
                () -> setting + " was not applied:\n" + server.logSince(mark));
    }

    private static long activeTransfers(String stats) {
        return DisklessServer.counter(stats, "Transferring");
    }

    private Path local(String name) {
        return server.clientDir().resolve("got-" + name.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    // ---------------------------------------------------------------- the transport

    /**
     * The feature installs Netty's epoll fragment with its native library for Linux x86_64; if it
     * did not load (a feature that left the fragment out, say) the server would still work on NIO,
     * only slower, and no other test would notice. A windowed transfer then leaves in trains.
     */
    @Test
    void onLinuxX86TheServerRunsOnEpollAndLetsTheKernelSegmentWindows() {
        assumeTrue(System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").equals("amd64"), "the native library is for Linux x86_64");
        assertTrue(server.logSince(0).contains("TFTP transport: epoll with UDP segmentation offload"),
                "karaf.log names the transport: " + server.logSince(0).lines()
                        .filter(l -> l.contains("TFTP transport")).toList());
        String name = unique("trains-", ".bin");
        Path file = server.randomFileInTftpboot(name, MIB);
        Path got = local(name);
        Exec.Result r = server.client("atftp", "--option", "blksize 1428", "--option", "windowsize 8",
                "-g", "-r", name, "-l", got.toString(), SERVER_IP);
        assertSameBytes(file, got, r);
        String stats = server.shell("tftp:stats");
        assertTrue(stats.lines().anyMatch(l -> l.matches("Transport\\s+epoll with UDP segmentation offload")), stats);
        long trains = DisklessServer.counter(stats, "Segment trains");
        assertTrue(trains > 0 && !stats.contains("refused by the kernel"), "windows left in trains:\n" + stats);
    }

    // ---------------------------------------------------------------- octet gets, every client

    @Test
    void atftpWithBlksize1428TsizeAndWindowsize8GetsTheExactBytes() {
        String name = unique("atftp-", ".bin");
        Path file = server.randomFileInTftpboot(name, ODD_SIZE);
        Path got = local(name);
        Exec.Result r = server.client("atftp", "--option", "blksize 1428", "--option", "tsize 0",
                "--option", "windowsize 8", "-g", "-r", name, "-l", got.toString(), SERVER_IP);
        assertSameBytes(file, got, r);
    }

    /** As tftpd-hpa does: an option value that is no number is left out of the OACK, not refused with ERROR 8. */
    @Test
    void atftpAskingOptionsThatAreNoNumbersGetsTheExactBytes() {
        String name = unique("atftp-words-", ".bin");
        Path file = server.randomFileInTftpboot(name, ODD_SIZE);
        Path got = local(name);
        Exec.Result r = server.client("atftp", "--option", "tsize enable", "--option", "blksize foo",
                "--option", "windowsize y", "-g", "-r", name, "-l", got.toString(), SERVER_IP);
        assertSameBytes(file, got, r);
    }

    @Test
    void curlWithBlksize1428GetsTheExactBytes() {
        String name = unique("curl-", ".bin");
        Path file = server.randomFileInTftpboot(name, ODD_SIZE);
        Path got = local(name);
        Exec.Result r = server.client("curl", "-sS", "--tftp-blksize", "1428",
                "tftp://" + SERVER_IP + "/" + name, "-o", got.toString());
        assertSameBytes(file, got, r);
    }

    @Test
    void tftpHpaWith512ByteBlocksGetsTheExactBytes() {
        String name = unique("hpa-", ".bin");
        Path file = server.randomFileInTftpboot(name, ODD_SIZE);
        Path got = local(name);
        Exec.Result r = server.client("tftp", SERVER_IP, "-m", "binary", "-c", "get", name, got.toString());
        assertSameBytes(file, got, r);
    }

    @Test
    void busyboxWithDefaultBlocksGetsTheExactBytes() {
        String name = unique("busybox-", ".bin");
        Path file = server.randomFileInTftpboot(name, 512 * KIB + 1);
        Path got = local(name);
        Exec.Result r = server.client("busybox", "tftp", "-g", "-r", name, "-l", got.toString(), SERVER_IP);
        assertSameBytes(file, got, r);
    }

    @Test
    void busyboxWithBlksize1428GetsTheExactBytes() {
        String name = unique("busybox1428-", ".bin");
        Path file = server.randomFileInTftpboot(name, ODD_SIZE);
        Path got = local(name);
        Exec.Result r = server.client("busybox", "tftp", "-b", "1428", "-g", "-r", name, "-l", got.toString(), SERVER_IP);
        assertSameBytes(file, got, r);
    }

    // ---------------------------------------------------------------- sizes at the edges

    @Test
    void fileOfExactlyAMultipleOf512BytesEndsWithAnEmptyBlockAndArrivesWhole() {
        String name = unique("multiple-", ".bin");
        Path file = server.randomFileInTftpboot(name, 512 * 64);
        Path got = local(name);
        Exec.Result r = server.client("tftp", SERVER_IP, "-m", "binary", "-c", "get", name, got.toString());
        assertSameBytes(file, got, r);
    }

    @Test
    void emptyFileArrivesEmptyWithoutOptions() {
        String name = unique("empty-", ".bin");
        Path file = server.randomFileInTftpboot(name, 0);
        Path got = local(name);
        Exec.Result r = server.client("tftp", SERVER_IP, "-m", "binary", "-c", "get", name, got.toString());
        assertSameBytes(file, got, r);
    }

    @Test
    void emptyFileArrivesEmptyAfterAnOptionAcknowledgementWithTsize0() {
        // Not curl: curl 7.88 rejects "tsize 0" in an OACK ("invalid tsize -:0:- value in OACK packet", exit 71).
        String name = unique("empty-oack-", ".bin");
        Path file = server.randomFileInTftpboot(name, 0);
        Path got = local(name);
        Exec.Result r = server.client("atftp", "--option", "tsize 0", "--option", "blksize 1428", "-g", "-r", name,
                "-l", got.toString(), SERVER_IP);
        assertSameBytes(file, got, r);
    }

    @Test
    void fortyMiBThroughTftpHpaRollsTheBlockNumberOverAndArrivesWhole() {
        // 40 MiB / 512 = 81,920 blocks: the 16-bit block number wraps after 65,535.
        String name = unique("rollover-", ".bin");
        Path file = server.randomFileInTftpboot(name, FORTY_MIB);
        Path got = local(name);
        Exec.Result r = server.client("tftp", SERVER_IP, "-m", "binary", "-c", "get", name, got.toString());
        assertSameBytes(file, got, r);
    }

    @Test
    void fortyMiBThroughAtftpWithWindowsize8ArrivesWhole() {
        String name = unique("window-", ".bin");
        Path file = server.randomFileInTftpboot(name, FORTY_MIB);
        Path got = local(name);
        Exec.Result r = server.client("atftp", "--option", "blksize 1428", "--option", "tsize 0",
                "--option", "windowsize 8", "-g", "-r", name, "-l", got.toString(), SERVER_IP);
        assertSameBytes(file, got, r);
    }

    // ---------------------------------------------------------------- netascii

    @Test
    void netasciiGetOfLfTextGivesTheSameTextBack() throws IOException {
        // Several hundred blocks of lines of varying length, so CR LF pairs fall across block boundaries.
        StringBuilder text = new StringBuilder();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int line = 0; line < 4000; line++) {
            int length = random.nextInt(0, 80);
            for (int i = 0; i < length; i++) {
                text.append((char) random.nextInt(' ', '~' + 1));
            }
            text.append('\n');
        }
        String name = unique("netascii-", ".txt");
        Path file = server.tftpboot().resolve(name);
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        Path got = local(name);
        Exec.Result r = server.client("tftp", SERVER_IP, "-m", "ascii", "-c", "get", name, got.toString());
        assertSameBytes(file, got, r);
    }

    /**
     * Announcing a netascii size once meant reading the whole file on the request port's event loop,
     * for every netascii request, tsize asked or not: twenty of them for a large file held up every
     * other client. The file here is sparse (16 GiB, no disk) so that a server reading it whole per
     * request would not answer the octet get below while the netascii transfers run.
     */
    @Test
    void twentyNetasciiGetsOfAHugeFileDoNotHoldUpAnOctetGet() throws IOException {
        String huge = unique("huge-", ".txt");
        Path hugeFile = server.tftpboot().resolve(huge);
        try (RandomAccessFile sparse = new RandomAccessFile(hugeFile.toFile(), "rw")) {
            sparse.setLength(16L << 30);
        }
        String name = unique("meanwhile-", ".bin");
        Path file = server.randomFileInTftpboot(name, MIB);
        List<Exec.Running> netascii = new ArrayList<>();
        long mark = server.logMark();
        server.setTftpProperty("maxTransfersPerClient", "32"); // the clients here share one address
        awaitSettingsLogged(mark, "maxTransfersPerClient=32");
        try {
            for (int i = 0; i < 20; i++) {
                netascii.add(server.clientAsync("tftp", SERVER_IP, "-m", "ascii", "-c", "get", huge, "/dev/null"));
            }
            Optional<String> underway = poll(Duration.ofSeconds(30), Duration.ofMillis(500),
                    () -> server.shell("tftp:stats"), stats -> activeTransfers(stats) >= 1);
            assertTrue(underway.isPresent(), () -> "no netascii transfer started within 30 s:\n"
                    + server.shell("tftp:stats"));

            Path got = local(name);
            Exec.Result r = server.client(Duration.ofSeconds(60), "curl", "-sS", "--max-time", "30",
                    "--tftp-blksize", "1428", "tftp://" + SERVER_IP + "/" + name, "-o", got.toString());
            assertSameBytes(file, got, r);
            assertTrue(netascii.stream().allMatch(Exec.Running::isAlive),
                    "the octet get completes while every netascii transfer is still in progress");
            assertTrue(poll(Duration.ofSeconds(10), Duration.ofMillis(500), () -> server.shell("tftp:stats"),
                    stats -> activeTransfers(stats) == 20).isPresent(),
                    () -> "all twenty netascii transfers run:\n" + server.shell("tftp:stats"));
        } finally {
            netascii.forEach(transfer -> transfer.stop(Duration.ofSeconds(5)));
            // The server gives their transfers up within its timeout; until then they hold this address's slots.
            poll(Duration.ofSeconds(30), Duration.ofMillis(500), () -> server.shell("tftp:stats"),
                    stats -> activeTransfers(stats) == 0);
            long restored = server.logMark();
            server.restoreTftpConfig();
            awaitSettingsLogged(restored, "maxTransfersPerClient=16");
            Files.deleteIfExists(hugeFile);
        }
    }

    // ---------------------------------------------------------------- errors

    @Test
    void missingFileIsErrorCode1ForTftpHpa() {
        String name = unique("missing-", ".bin");
        Exec.Result r = server.client("tftp", SERVER_IP, "-m", "binary", "-c", "get", name, local(name).toString());
        assertTrue(r.output().contains("Error code 1"), () -> "expected 'Error code 1' (file not found)\n" + r.describe());
    }

    @Test
    void missingFileMakesCurlExitWithItsTftpNotFoundCode68() {
        String name = unique("missing-", ".bin");
        Exec.Result r = server.client("curl", "-sS", "--max-time", "30", "tftp://" + SERVER_IP + "/" + name,
                "-o", local(name).toString());
        assertEquals(68, r.exitCode(), () -> "curl exits 68 (CURLE_TFTP_NOTFOUND) on TFTP error 1\n" + r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "/../../etc/passwd"})
    void nameClimbingOutOfTheRootIsErrorCode2(String name) throws IOException {
        Path got = local(name);
        Exec.Result r = server.client("tftp", SERVER_IP, "-m", "binary", "-c", "get", name, got.toString());
        assertTrue(r.output().contains("Error code 2"), () -> "expected 'Error code 2' (access violation)\n" + r.describe());
        assertFalse(Files.exists(got) && Files.readString(got, StandardCharsets.ISO_8859_1).contains("root:"),
                () -> "the client received a passwd file\n" + r.describe());
    }

    @Test
    void symlinkInTheRootPointingOutsideItIsErrorCode2() throws IOException {
        String link = unique("escape-", "");
        Files.createSymbolicLink(server.tftpboot().resolve(link), Path.of("/etc"));
        Path got = local(link + "-passwd");
        Exec.Result r = server.client("tftp", SERVER_IP, "-m", "binary", "-c", "get", link + "/passwd", got.toString());
        assertTrue(r.output().contains("Error code 2"), () -> "expected 'Error code 2' (access violation)\n" + r.describe());
    }

    // ---------------------------------------------------------------- DOS-style names

    @Test
    void fileInASubdirectoryIsServedWhenAtftpNamesItWithABackslash() {
        String dir = unique("dir-", "");
        String base = unique("boot-", ".cfg");
        Path file = server.randomFileInTftpboot(dir + "/" + base, 3000);
        Path got = local(base);
        Exec.Result r = server.client("atftp", "--option", "blksize 1428", "-g", "-r", dir + "\\" + base,
                "-l", got.toString(), SERVER_IP);
        assertSameBytes(file, got, r);
    }

    @Test
    void fileInASubdirectoryIsServedWhenCurlNamesItWithABackslash() {
        String dir = unique("dir-", "");
        String base = unique("boot-", ".cfg");
        Path file = server.randomFileInTftpboot(dir + "/" + base, 3000);
        Path got = local(base);
        Exec.Result r = server.client("curl", "-sS", "--tftp-blksize", "1428",
                "tftp://" + SERVER_IP + "/" + dir + "\\" + base, "-o", got.toString());
        assertSameBytes(file, got, r);
    }
}
