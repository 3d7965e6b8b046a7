package org.diskless.rmp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.files.BootFileException;
import org.diskless.api.nodes.Node;
import org.diskless.rmp.codec.RmpCodec;
import org.diskless.rmp.codec.RmpFrame;
import org.diskless.rmp.codec.RmpPacket.BootComplete;
import org.diskless.rmp.codec.RmpPacket.BootReply;
import org.diskless.rmp.codec.RmpPacket.BootRequest;
import org.diskless.rmp.codec.RmpPacket.ReadReply;
import org.diskless.rmp.codec.RmpPacket.ReadRequest;
import org.diskless.rmp.codec.RmpPacket;
import org.diskless.rmp.codec.RmpRetcode;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

class RmpProtocolTest {

    static final HardwareAddress SERVER = HardwareAddress.parse("02:00:00:00:00:01");
    static final HardwareAddress WILLIAM = HardwareAddress.parse("08:00:09:00:00:01");
    static final HardwareAddress STRANGER = HardwareAddress.parse("08:00:09:00:00:99");
    static final Path RBOOTD = Path.of("/etc/rbootd.conf");
    static final Path BOOTTAB = Path.of("/etc/boottab");

    final MemoryResolver resolver = new MemoryResolver();
    final List<BootEvent> events = new ArrayList<>();
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final Map<HardwareAddress, Node> inventory = new HashMap<>();
    final RmpCounters counters = new RmpCounters();
    ServingState state;
    RmpProtocol protocol;

    RmpProtocolTest() {
        serve(Map.of("rbootdConf", RBOOTD.toString()), Map.of(RBOOTD, List.of(
                "08:00:09:00:00:01  SYSHPBSD,SYSHPUX   # william")));
    }

    void serve(Map<String, Object> properties, Map<Path, List<String>> files) {
        try {
            RmpSettings settings = RmpSettings.from(properties);
            CnodeTableBuilder.Result result = CnodeTableBuilder.build(settings, files);
            assertTrue(result.problems().isEmpty(), result.problems().toString());
            state = new ServingState(settings, result.table().orElseThrow(), "bootsrv");
        } catch (InvalidSettingException e) {
            throw new AssertionError(e);
        }
        protocol = new RmpProtocol(() -> state, mac -> Optional.ofNullable(inventory.get(mac)), resolver, events::add,
                nanos::get, Clock.fixed(Instant.parse("2026-11-22T07:00:00Z"), ZoneOffset.UTC), counters);
    }

    Optional<RmpPacket> send(HardwareAddress client, RmpPacket request) {
        ByteBuffer out = ByteBuffer.allocate(RmpCodec.MAX_FRAME);
        boolean answered = protocol.handle(RmpFrame.toServer(RmpCodec.MULTICAST, client, request), SERVER, out);
        if (!answered) {
            assertEquals(0, out.position(), "nothing written without an answer");
            return Optional.empty();
        }
        out.flip();
        assertTrue(out.remaining() >= RmpCodec.MIN_FRAME, "padded to the Ethernet minimum");
        try {
            RmpFrame reply = RmpCodec.decode(out);
            assertEquals(client, reply.destination());
            assertEquals(SERVER, reply.source());
            assertEquals(RmpCodec.CLIENT_SAP, reply.destinationSap());
            return Optional.of(reply.packet());
        } catch (Exception e) {
            throw new AssertionError("reply does not decode", e);
        }
    }

    BootReply boot(HardwareAddress client, long sequence, int session, String machineType, String name) {
        return (BootReply) send(client, new BootRequest(0, sequence, session, 2, machineType, name)).orElseThrow();
    }

    ReadReply read(HardwareAddress client, long offset, int session, int size) {
        return (ReadReply) send(client, new ReadRequest(0, offset, session, size)).orElseThrow();
    }

    @Test
    void serverIdentifyAnswersWithTheHostName() {
        BootReply reply = boot(WILLIAM, 0, RmpPacket.PROBE_SESSION, "HPS300", "");
        assertEquals(new BootReply(RmpRetcode.OKAY, 0, 0, 2, "bootsrv"), reply);
    }

    @Test
    void hostNameIsCutAtTheFirstDotAndTo13Characters() {
        assertEquals("bootsrv", RmpServer.hostName(Optional.of("bootsrv.example.org")));
        assertEquals("averyverylong", RmpServer.hostName(Optional.of("averyverylonghostname")));
    }

    @Test
    void fileListGivesTheNthFileThenNodflt() {
        assertEquals(new BootReply(RmpRetcode.OKAY, 1, 0, 2, "SYSHPBSD"), boot(WILLIAM, 1, 0xFFFF, "HPS300", ""));
        assertEquals(new BootReply(RmpRetcode.OKAY, 2, 0, 2, "SYSHPUX"), boot(WILLIAM, 2, 0xFFFF, "HPS300", ""));
        assertEquals(new BootReply(RmpRetcode.NODFLT, 3, 0, 2, ""), boot(WILLIAM, 3, 0xFFFF, "HPS300", ""));
    }

    @Test
    void unlistedMachineGetsNoAnswerAtAll() {
        assertTrue(send(STRANGER, new BootRequest(0, 0, 0xFFFF, 2, "HPS300", "")).isEmpty());
        assertTrue(send(STRANGER, new BootRequest(0, 1, 0, 2, "HPS300", "SYSHPBSD")).isEmpty());
        assertTrue(send(STRANGER, new ReadRequest(0, 0, 1, 100)).isEmpty());
        assertTrue(events.isEmpty());
    }

    @Test
    void answerAnyServesUnlistedMachinesTheDefaultFiles() {
        resolver.with("SYS_UBOOT", new byte[10]);
        serve(Map.of("answerAny", "true", "defaultBootFiles", "SYS_UBOOT"), Map.of());
        assertEquals(new BootReply(RmpRetcode.OKAY, 1, 0, 2, "SYS_UBOOT"), boot(STRANGER, 1, 0xFFFF, "HPS300", ""));
        assertEquals(RmpRetcode.OKAY, boot(STRANGER, 5, 0, "HPS300", "SYS_UBOOT").retcode());
    }

    @Test
    void bootRequestOpensASessionStripsThePathAndEchoesTheName() {
        resolver.with("SYSHPBSD", new byte[100]);
        BootReply reply = boot(WILLIAM, 0x1234, 0, "HPS300", "/usr/mdec/SYSHPBSD");
        assertEquals(RmpRetcode.OKAY, reply.retcode());
        assertEquals(0x1234, reply.sequence());
        assertEquals("/usr/mdec/SYSHPBSD", reply.fileName());
        assertNotEquals(0, reply.session());
        assertNotEquals(0xFFFF, reply.session());
        assertEquals(List.of("SYSHPBSD"), resolver.paths);
        assertEquals(1, protocol.sessions().size());
        assertEquals(BootEvent.Kind.SESSION_OPENED, events.get(0).kind());
        assertEquals(Optional.of(WILLIAM), events.get(0).hardwareAddress());
    }

    @Test
    void fileNotListedForTheCnodeIsNofileAndOpensNothing() {
        resolver.with("vmunix", new byte[100]);
        BootReply reply = boot(WILLIAM, 1, 0, "HPS300", "vmunix");
        assertEquals(RmpRetcode.NOFILE, reply.retcode());
        assertEquals(0, reply.session());
        assertTrue(resolver.paths.isEmpty(), "never looked up");
        assertTrue(protocol.sessions().isEmpty());
        assertEquals(BootEvent.Kind.FILE_FAILED, events.get(0).kind());
    }

    @Test
    void listedFileMissingOnDiskIsNofile() {
        assertEquals(RmpRetcode.NOFILE, boot(WILLIAM, 1, 0, "HPS300", "SYSHPUX").retcode());
    }

    @Test
    void listedFileThatCannotBeOpenedIsOpenfile() {
        resolver.refusals.put("SYSHPUX", BootFileException.Reason.DENIED);
        assertEquals(RmpRetcode.OPENFILE, boot(WILLIAM, 1, 0, "HPS300", "SYSHPUX").retcode());
    }

    @Test
    void sessionsBeyondMaxSessionsAreBusyWhenEveryOneIsReading() {
        resolver.with("SYSHPBSD", new byte[10]);
        serve(Map.of("answerAny", "true", "defaultBootFiles", "SYSHPBSD", "maxSessions", "1"), Map.of());
        int session = boot(WILLIAM, 1, 0, "HPS300", "SYSHPBSD").session();
        assertEquals(RmpRetcode.OKAY, read(WILLIAM, 0, session, 10).retcode());
        assertEquals(RmpRetcode.BUSY, boot(STRANGER, 1, 0, "HPS300", "SYSHPBSD").retcode());
        assertEquals(1, counters.get(RmpCounters.Counter.BOOTS_REFUSED_BUSY));
    }

    @Test
    void aBootRequestFindingTheTableFullClosesTheOldestSessionThatNeverRead() {
        resolver.with("SYSHPBSD", new byte[10]);
        serve(Map.of("answerAny", "true", "defaultBootFiles", "SYSHPBSD", "maxSessions", "2"), Map.of());
        int reading = boot(WILLIAM, 1, 0, "HPS300", "SYSHPBSD").session();
        read(WILLIAM, 0, reading, 10);
        HardwareAddress silent = HardwareAddress.parse("08:00:09:00:00:02");
        boot(silent, 1, 0, "HPS300", "SYSHPBSD");
        assertEquals(RmpRetcode.OKAY, boot(STRANGER, 1, 0, "HPS300", "SYSHPBSD").retcode());
        assertEquals(List.of(WILLIAM, STRANGER), protocol.sessions().stream().map(SessionView::client).toList());
        assertEquals(RmpRetcode.ABORT, read(silent, 0, 1, 10).retcode(), "its session is gone");
        assertEquals(1, counters.get(RmpCounters.Counter.SESSIONS_EVICTED));
        assertEquals(2, resolver.open, "the evicted session's file was closed");
    }

    @Test
    void twoHundredMadeUpMacsNeitherKeepALegitimateBootOutNorHoldTheTableForLong() {
        resolver.with("SYS_UBOOT", new byte[10]);
        serve(Map.of("answerAny", "true", "defaultBootFiles", "SYS_UBOOT"), Map.of());
        Random random = new Random(24);
        for (int i = 0; i < 200; i++) {
            byte[] mac = new byte[6];
            random.nextBytes(mac);
            mac[0] &= (byte) 0xFE; // a unicast source: group sources are dropped before anything else
            boot(HardwareAddress.ethernet(mac), 1, 0, "HPS300", "SYS_UBOOT");
        }
        assertEquals(RmpSettings.DEFAULT_MAX_SESSIONS, protocol.sessions().size(), "the flood filled the table");

        BootReply legitimate = boot(WILLIAM, 1, 0, "HPS300", "SYS_UBOOT");
        assertEquals(RmpRetcode.OKAY, legitimate.retcode());
        assertEquals(RmpRetcode.OKAY, read(WILLIAM, 0, legitimate.session(), 10).retcode());

        nanos.addAndGet(Duration.ofSeconds(RmpSettings.DEFAULT_UNREAD_SESSION_TIMEOUT_SECONDS + 1).toNanos());
        assertEquals(RmpSettings.DEFAULT_MAX_SESSIONS - 1, protocol.expireIdle());
        assertEquals(List.of(WILLIAM), protocol.sessions().stream().map(SessionView::client).toList(),
                "the sessions that never read are closed within seconds, not after sessionTimeout");
    }

    @Test
    void framesFromAGroupOrOurOwnAddressAreDroppedAndCounted() {
        resolver.with("SYS_UBOOT", new byte[10]);
        serve(Map.of("answerAny", "true", "defaultBootFiles", "SYS_UBOOT"), Map.of());
        for (String source : List.of("ff:ff:ff:ff:ff:ff", "09:00:09:00:00:04", "01:00:5e:00:00:01", "33:33:00:00:00:01")) {
            assertTrue(send(HardwareAddress.parse(source), new BootRequest(0, 0, 0xFFFF, 2, "HPS300", "")).isEmpty(),
                    source + " would draw a reply to every machine of its group");
            assertTrue(send(HardwareAddress.parse(source), new BootRequest(0, 1, 0, 2, "HPS300", "SYS_UBOOT"))
                    .isEmpty(), source);
        }
        assertTrue(send(SERVER, new BootRequest(0, 0, 0xFFFF, 2, "HPS300", "")).isEmpty(), "our own address");
        assertEquals(8, counters.get(RmpCounters.Counter.DROPPED_GROUP_SOURCE));
        assertEquals(1, counters.get(RmpCounters.Counter.DROPPED_OWN_SOURCE));
        assertEquals(0, counters.get(RmpCounters.Counter.REPLIES));
        assertTrue(protocol.sessions().isEmpty());
        assertTrue(events.isEmpty());
    }

    @Test
    void aFloodOfFramesLogsAFewLinesNotOnePerFrame() {
        resolver.with("SYS_UBOOT", new byte[10]);
        serve(Map.of("answerAny", "true", "defaultBootFiles", "SYS_UBOOT", "maxSessions", "2"), Map.of());
        Random random = new Random(23);
        String log;
        try (CapturedLog captured = new CapturedLog()) {
            for (int i = 0; i < 2000; i++) {
                byte[] mac = new byte[6];
                random.nextBytes(mac);
                mac[0] &= (byte) 0xFE;
                HardwareAddress client = HardwareAddress.ethernet(mac);
                switch (i % 5) {
                    case 0 -> boot(client, 1, 0, "HPS300", "SYS_UBOOT");
                    case 1 -> boot(client, 1, 0, "HPS300", "NOT_THERE");
                    case 2 -> read(client, 0, 7, 100);
                    case 3 -> send(client, new BootComplete(0, 7));
                    default -> send(HardwareAddress.parse("ff:ff:ff:ff:ff:ff"), new BootRequest(0, 0, 0xFFFF, 2,
                            "HPS300", ""));
                }
            }
            log = captured.text();
        }
        long lines = log.lines().filter(l -> l.contains("RmpProtocol")).count();
        assertTrue(lines <= 20, lines + " lines for 2000 frames:\n" + log);
        assertTrue(log.contains("similar lines held back") || lines >= 6, log);
    }

    @Test
    void namesFromTheNetworkAreEscapedInLogLinesAndBootEvents() {
        String hostile = "\u001b]0;owned\u0007\u001b[2J" + "A".repeat(240);
        String log;
        try (CapturedLog captured = new CapturedLog()) {
            assertEquals(RmpRetcode.NOFILE, boot(WILLIAM, 1, 0, "HPS300", hostile).retcode());
            log = captured.text();
        }
        assertFalse(log.contains("\u001b"), log);
        assertTrue(log.contains("\\x1b]0;owned\\x07\\x1b[2J"), log);
        assertTrue(log.length() < 1000, "the name is capped: " + log.length() + " characters");
        String detail = events.get(0).detail();
        assertFalse(detail.contains("\u001b"), detail);
        assertTrue(detail.startsWith("\\x1b]0;owned"), detail);
    }

    @Test
    void wholeFileReadsBackAtIncreasingOffsetsThenEof() {
        byte[] content = MemoryResolver.pattern(5000);
        resolver.with("SYSHPBSD", content);
        int session = boot(WILLIAM, 1, 0, "HPS300", "SYSHPBSD").session();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long offset = 0;
        for (int i = 0; i < 10; i++) {
            ReadReply reply = read(WILLIAM, offset, session, 1400);
            if (reply.retcode() == RmpRetcode.EOF) {
                break;
            }
            assertEquals(RmpRetcode.OKAY, reply.retcode());
            assertEquals(offset, reply.offset());
            assertEquals(session, reply.session());
            received.writeBytes(reply.data());
            offset += reply.length();
        }
        assertArrayEquals(content, received.toByteArray());
        assertEquals(RmpRetcode.EOF, read(WILLIAM, 5000, session, 1400).retcode());
        assertEquals(1, events.stream().filter(e -> e.kind() == BootEvent.Kind.FILE_SENT).count());
    }

    @Test
    void readSizeIsClampedToWhatFitsInOneFrame() {
        resolver.with("SYSHPBSD", MemoryResolver.pattern(10_000));
        int session = boot(WILLIAM, 1, 0, "HPS300", "SYSHPBSD").session();
        assertEquals(1482, read(WILLIAM, 0, session, 0xFFFF).length());
    }

    @Test
    void readsMayComeAtAnyOffset() {
        byte[] content = MemoryResolver.pattern(4000);
        resolver.with("SYSHPBSD", content);
        int session = boot(WILLIAM, 1, 0, "HPS300", "SYSHPBSD").session();
        ReadReply middle = read(WILLIAM, 3001, session, 10);
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 3001, 3011), middle.data());
        ReadReply tail = read(WILLIAM, 3990, session, 100);
        assertEquals(RmpRetcode.OKAY, tail.retcode());
        assertEquals(10, tail.length());
    }

    @Test
    void readPastTheEndIsEof() {
        resolver.with("SYSHPBSD", new byte[100]);
        int session = boot(WILLIAM, 1, 0, "HPS300", "SYSHPBSD").session();
        ReadReply reply = read(WILLIAM, 1_000_000, session, 100);
        assertEquals(new ReadReply(RmpRetcode.EOF, 1_000_000, session, new byte[0]), reply);
    }

    @Test
    void wrongSessionIdIsBadsid() {
        resolver.with("SYSHPBSD", new byte[100]);
        int session = boot(WILLIAM, 1, 0, "HPS300", "SYSHPBSD").session();
        int wrong = session == 1 ? 2 : 1;
        assertEquals(new ReadReply(RmpRetcode.BADSID, 0, wrong, new byte[0]), read(WILLIAM, 0, wrong, 100));
    }

    @Test
    void readWithoutASessionIsAbort() {
        assertEquals(new ReadReply(RmpRetcode.ABORT, 0, 7, new byte[0]), read(WILLIAM, 0, 7, 100));
    }

    @Test
    void bootCompleteClosesTheSessionAndIsNotAnswered() {
        resolver.with("SYSHPBSD", new byte[100]);
        int session = boot(WILLIAM, 1, 0, "HPS300", "SYSHPBSD").session();
        assertTrue(send(WILLIAM, new BootComplete(0, session)).isEmpty());
        assertTrue(protocol.sessions().isEmpty());
        assertEquals(0, resolver.open, "file closed");
        assertEquals(BootEvent.Kind.SESSION_CLOSED, events.get(events.size() - 1).kind());
        assertEquals(RmpRetcode.ABORT, read(WILLIAM, 0, session, 100).retcode());
    }

    @Test
    void bootCompleteWithAnotherSessionIdLeavesTheSessionOpen() {
        resolver.with("SYSHPBSD", new byte[100]);
        int session = boot(WILLIAM, 1, 0, "HPS300", "SYSHPBSD").session();
        send(WILLIAM, new BootComplete(0, session + 1));
        assertEquals(1, protocol.sessions().size());
    }

    @Test
    void newBootRequestFromTheSameMachineReplacesItsSession() {
        resolver.with("SYSHPBSD", new byte[100]).with("SYSHPUX", new byte[200]);
        int first = boot(WILLIAM, 1, 0, "HPS300", "SYSHPBSD").session();
        int second = boot(WILLIAM, 2, 0, "HPS300", "SYSHPUX").session();
        assertNotEquals(first, second);
        assertEquals(1, protocol.sessions().size());
        assertEquals("SYSHPUX", protocol.sessions().get(0).file());
        assertEquals(1, resolver.open, "the first file was closed");
        assertEquals(RmpRetcode.BADSID, read(WILLIAM, 0, first, 10).retcode());
    }

    @Test
    void idleSessionsTimeOut() {
        resolver.with("SYSHPBSD", new byte[100]);
        serve(Map.of("rbootdConf", RBOOTD.toString(), "sessionTimeout", "600"),
                Map.of(RBOOTD, List.of("08:00:09:00:00:01 SYSHPBSD")));
        int session = boot(WILLIAM, 1, 0, "HPS300", "SYSHPBSD").session();
        read(WILLIAM, 0, session, 10);
        nanos.addAndGet(Duration.ofSeconds(599).toNanos());
        assertEquals(0, protocol.expireIdle());
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals(1, protocol.expireIdle());
        assertTrue(protocol.sessions().isEmpty());
        assertEquals(0, resolver.open);
    }

    @Test
    void aSessionThatNeverReadsTimesOutAfterUnreadSessionTimeout() {
        resolver.with("SYSHPBSD", new byte[100]);
        serve(Map.of("rbootdConf", RBOOTD.toString(), "unreadSessionTimeout", "30"),
                Map.of(RBOOTD, List.of("08:00:09:00:00:01 SYSHPBSD")));
        boot(WILLIAM, 1, 0, "HPS300", "SYSHPBSD");
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertEquals(0, protocol.expireIdle());
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals(1, protocol.expireIdle());
        assertEquals(0, resolver.open);
        assertEquals(1, counters.get(RmpCounters.Counter.SESSIONS_TIMED_OUT));
    }

    @Test
    void machineTypeIsCheckedWhenConfigured() {
        serve(Map.of("boottab", BOOTTAB.toString()), Map.of(BOOTTAB, List.of(
                "william:HPS300:080009000001:SYSHPUX")));
        assertTrue(send(WILLIAM, new BootRequest(0, 0, 0xFFFF, 2, "HPS700", "")).isEmpty());
        assertEquals(RmpRetcode.OKAY, boot(WILLIAM, 0, 0xFFFF, "HPS300", "").retcode());
    }

    @Test
    void contextCarriesTheCnodeNameAndTheArchitecturesOfTheMachineType() {
        resolver.with("SYSHPUX", new byte[10]);
        serve(Map.of("boottab", BOOTTAB.toString()), Map.of(BOOTTAB, List.of(
                "william::080009000001:SYSHPUX")));
        boot(WILLIAM, 1, 0, "HPS300", "SYSHPUX");
        BootContext context = resolver.contexts.get(0);
        assertEquals(org.diskless.api.boot.BootProtocol.RMP, context.protocol());
        assertEquals("william", context.node().orElseThrow().name());
        assertEquals(List.of("HP-MC68881", "HP-MC68020", "HP-MC68010"), context.node().get().hardwareContexts());
        assertEquals(Optional.of(WILLIAM), context.hardwareAddress());
    }

    @Test
    void hiddenFilesLoadButAreNotListed() {
        resolver.with("SYSDEBUG", new byte[10]);
        serve(Map.of("boottab", BOOTTAB.toString()), Map.of(BOOTTAB, List.of(
                "william::080009000001:SYSHPUX:SYSDEBUG")));
        assertEquals(RmpRetcode.NODFLT, boot(WILLIAM, 2, 0xFFFF, "HPS300", "").retcode());
        assertEquals(RmpRetcode.OKAY, boot(WILLIAM, 1, 0, "HPS300", "SYSDEBUG").retcode());
    }

    @Test
    void emptyFileNameBootsTheFirstListedFile() {
        resolver.with("SYSHPBSD", new byte[10]);
        BootReply reply = boot(WILLIAM, 1, 0, "HPS700", "");
        assertEquals(RmpRetcode.OKAY, reply.retcode());
        assertEquals("SYSHPBSD", reply.fileName());
    }

    @Test
    void bootDirectoryPrefixesRelativeNamesOnly() {
        resolver.with("rbootd/SYSHPBSD", new byte[10]).with("/hp-ux", new byte[10]);
        serve(Map.of("boottab", BOOTTAB.toString(), "bootDirectory", "/rbootd/"), Map.of(BOOTTAB, List.of(
                "william::080009000001:SYSHPBSD,/hp-ux")));
        assertEquals(RmpRetcode.OKAY, boot(WILLIAM, 1, 0, "HPS300", "SYSHPBSD").retcode());
        assertEquals(RmpRetcode.OKAY, boot(WILLIAM, 1, 0, "HPS300", "/hp-ux").retcode());
        assertEquals(List.of("rbootd/SYSHPBSD", "/hp-ux"), resolver.paths);
    }

    @Test
    void inventoryNodeWithRmpBootFilesIsACnode() {
        resolver.with("SYS_UBOOT", new byte[10]);
        serve(Map.of(), Map.of());
        inventory.put(STRANGER, Node.builder("hp425", STRANGER)
                .bootFiles(Map.of("rmp2", "SYS_INST", "rmp1", "SYS_UBOOT", "kernel", "vmlinuz")).build());
        assertEquals("SYS_UBOOT", boot(STRANGER, 1, 0xFFFF, "HPS300", "").fileName());
        assertEquals("SYS_INST", boot(STRANGER, 2, 0xFFFF, "HPS300", "").fileName());
        assertEquals(RmpRetcode.NODFLT, boot(STRANGER, 3, 0xFFFF, "HPS300", "").retcode());
        assertEquals(RmpRetcode.OKAY, boot(STRANGER, 1, 0, "HPS300", "SYS_UBOOT").retcode());
        assertEquals("hp425", resolver.contexts.get(0).node().orElseThrow().name());
    }

    @Test
    void inventoryIsIgnoredWhenSwitchedOff() {
        serve(Map.of("inventory", "false"), Map.of());
        inventory.put(STRANGER, Node.builder("hp425", STRANGER).bootFiles(Map.of("rmp1", "SYS_UBOOT")).build());
        assertTrue(send(STRANGER, new BootRequest(0, 0, 0xFFFF, 2, "HPS300", "")).isEmpty());
    }

    @Test
    void framesAddressedToClientsAreNotAnswered() {
        ByteBuffer out = ByteBuffer.allocate(RmpCodec.MAX_FRAME);
        RmpFrame otherServersReply = RmpFrame.toClient(WILLIAM, STRANGER,
                new BootReply(RmpRetcode.OKAY, 0, 0, 2, "other"));
        assertFalse(protocol.handle(otherServersReply, SERVER, out));
    }

    @Test
    void architecturesFollowHpUxRbootd() {
        assertEquals(List.of("PA-RISC1.1", "HP-PA"), RmpProtocol.architectures("HPS700"));
        assertEquals(List.of(), RmpProtocol.architectures("SOMETHING"));
    }
}
