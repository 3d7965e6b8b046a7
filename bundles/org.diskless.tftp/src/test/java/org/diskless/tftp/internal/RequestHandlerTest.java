package org.diskless.tftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.diskless.support.context.ClientContexts;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.boot.MulticastTftpRequests;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;
import org.diskless.api.files.BootFileException.Reason;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.files.BootFileUpload;
import org.diskless.tftp.codec.TftpAck;
import org.diskless.tftp.codec.TftpData;
import org.diskless.tftp.codec.TftpDecoder;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpOptionAck;
import org.diskless.tftp.codec.TftpPacket;
import org.diskless.tftp.codec.TftpRequest;
import org.diskless.support.config.Config;
import org.diskless.support.log.LogThrottle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

/** What the well-known port answers without starting a transfer. */
class RequestHandlerTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 2048);
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.1", 69);

    private final TransferRegistry registry = new TransferRegistry();
    private final AtomicLong clock = new AtomicLong();
    /** The ports of the transfers the handler started, oldest first. */
    private final List<EmbeddedChannel> transferPorts = new ArrayList<>();
    private EmbeddedChannel channel;
    /** Where the handler prepares requests; at once, on the test's thread, unless a test says otherwise. */
    private Executor fileWork = Runnable::run;
    /** The multicast service read requests with the RFC 2090 option go to; none unless a test sets one. */
    private MulticastTftpRequests multicast;

    /** The names the resolver was asked for, and the contents it opened, in order. */
    private final List<String> resolved = new ArrayList<>();
    private final List<MemoryContent> opened = new ArrayList<>();
    /** The boot events the handler and its transfers published. */
    private final List<BootEvent> events = new ArrayList<>();

    /** Serves every name as {@code bytes}, recording what it is asked. */
    private BootFileResolver serving(byte[] bytes) {
        return new BootFileResolver() {
            @Override
            public BootFile resolve(String path, BootContext context) {
                resolved.add(path);
                return new BootFile() {
                    @Override
                    public String path() {
                        return path;
                    }

                    @Override
                    public long size() {
                        return bytes.length;
                    }

                    @Override
                    public boolean generated() {
                        return false;
                    }

                    @Override
                    public BootFileContent open() {
                        MemoryContent content = new MemoryContent(bytes);
                        opened.add(content);
                        return content;
                    }
                };
            }

            @Override
            public BootFileUpload createUpload(String path, BootContext context, boolean replace)
                    throws BootFileException {
                throw new BootFileException(Reason.DENIED, "no uploads in this test");
            }
        };
    }

    /** Refuses every name with the reason the test gives. */
    private static BootFileResolver refusing(Reason reason) {
        return new BootFileResolver() {
            @Override
            public BootFile resolve(String path, BootContext context) throws BootFileException {
                throw new BootFileException(reason, "'" + path + "' refused for the test");
            }

            @Override
            public BootFileUpload createUpload(String path, BootContext context, boolean replace)
                    throws BootFileException {
                throw new BootFileException(reason, "'" + path + "' refused for the test");
            }
        };
    }

    private void serve(BootFileResolver resolver, Map<String, ?> config) throws Exception {
        TransferPorts ports = (transfer, client, localAddress) -> {
            EmbeddedChannel port = new EmbeddedChannel(transfer);
            transferPorts.add(port);
            return port.newSucceededFuture();
        };
        TftpSettings settings = TftpSettings.parse(Config.of(config));
        Transfer.Services services = new Transfer.Services(registry, events::add, clock::get, channel -> 0, 1,
                new LogThrottle(Duration.ofMinutes(1)));
        RequestHandler handler = new RequestHandler(settings,
                new TransferPreparation(settings, resolver,
                        new ClientContexts(Optional::empty, Optional::empty, Clock.systemUTC()), () -> Optional.ofNullable(multicast),
                        services), fileWork, services, ports);
        channel = new EmbeddedChannel(new TftpDecoder(), handler);
    }

    @AfterEach
    void portStaysOpen() {
        assertTrue(channel.isOpen(), "the well-known port never closes over a request");
        assertFalse(channel.finishAndReleaseAll());
        transferPorts.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void aReadRequestWithTheMulticastOptionGoesToTheMulticastServiceWhichAnswersItItself() throws Exception {
        List<String> handedOver = new ArrayList<>();
        multicast = (file, options, context) -> handedOver.add(file + " " + options.get("blksize") + " "
                + context.client());
        serve(serving(new byte[1000]), Map.of());
        request(TftpRequest.read("vmlinuz", "octet", Map.of("multicast", "", "blksize", "1428")));
        assertEquals(List.of("vmlinuz 1428 " + CLIENT), handedOver);
        assertTrue(transferPorts.isEmpty(), "no unicast transfer");
        assertNull(channel.readOutbound(), "nothing from the request port either");
        assertEquals(List.of(), resolved, "the TFTP server resolves nothing for it");
        assertEquals(0, registry.activeCount(), "its slot is given back");
    }

    @Test
    void whenTheMulticastServiceDeclinesOrFailsTheRequestIsServedByUnicastWithoutTheOption() throws Exception {
        multicast = (file, options, context) -> false;
        serve(serving(new byte[1000]), Map.of());
        request(TftpRequest.read("vmlinuz", "octet", Map.of("multicast", "", "blksize", "1428")));
        assertEquals(Map.of("blksize", "1428"), optionsAcknowledged(transferPorts.get(0)));
        multicast = (file, options, context) -> {
            throw new IllegalStateException("broken");
        };
        serve(serving(new byte[1000]), Map.of());
        request(new InetSocketAddress(CLIENT.getAddress(), CLIENT.getPort() + 1),
                TftpRequest.read("vmlinuz", "octet", Map.of("multicast", "", "blksize", "1428")));
        assertEquals(Map.of("blksize", "1428"), optionsAcknowledged(transferPorts.get(1)));
    }

    @Test
    void withoutAMulticastServiceAndInNetasciiTheMulticastOptionIsIgnored() throws Exception {
        serve(serving(new byte[1000]), Map.of());
        request(TftpRequest.read("vmlinuz", "octet", Map.of("multicast", "", "tsize", "0")));
        assertEquals(Map.of("tsize", "1000"), optionsAcknowledged(transferPorts.get(0)));
        multicast = (file, options, context) -> {
            throw new AssertionError("netascii is never handed over");
        };
        serve(serving(new byte[1000]), Map.of());
        request(TftpRequest.read("notes", "netascii", Map.of("multicast", "")));
        assertEquals(2, transferPorts.size());
    }

    /** The options of the OACK a transfer's port sent first. */
    private static Map<String, String> optionsAcknowledged(EmbeddedChannel port) {
        AddressedEnvelope<TftpPacket, InetSocketAddress> sent = port.readOutbound();
        return assertInstanceOf(TftpOptionAck.class, sent.content()).options();
    }

    @Test
    void aMissingFileIsError1() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of());
        request(TftpRequest.read("vmlinuz", "octet", Map.of()));
        assertAnswer(TftpErrorCode.FILE_NOT_FOUND);
    }

    @Test
    void aRefusedRequestIsABootEventNamingTheFileAndTheReason() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of());
        request(TftpRequest.read("pxelinux.0", "octet", Map.of()));
        assertAnswer(TftpErrorCode.FILE_NOT_FOUND);
        assertEquals(1, events.size(), events::toString);
        BootEvent refused = events.get(0);
        assertEquals(BootProtocol.TFTP, refused.protocol());
        assertEquals(BootEvent.Kind.FILE_REFUSED, refused.kind());
        assertEquals(CLIENT.getAddress(), refused.client());
        assertEquals("pxelinux.0: refused with error 1, File not found: 'pxelinux.0' refused for the test",
                refused.detail());
    }

    @Test
    void aRefusedOptionAndARefusedUploadAreBootEventsToo() throws Exception {
        serve(serving(new byte[1000]), Map.of());
        request(TftpRequest.read("vmlinuz", "octet", Map.of("blksize", "4")));
        assertAnswer(TftpErrorCode.OPTION_REFUSED);
        request(TftpRequest.write("upload.bin", "octet", Map.of()));
        assertAnswer(TftpErrorCode.ACCESS_VIOLATION);
        assertEquals(List.of(BootEvent.Kind.FILE_REFUSED, BootEvent.Kind.FILE_REFUSED),
                events.stream().map(BootEvent::kind).toList());
        assertTrue(events.get(0).detail().startsWith("vmlinuz: refused with error 8, "), events.get(0).detail());
        assertTrue(events.get(1).detail().startsWith("upload.bin: upload refused with error 2, "),
                events.get(1).detail());
    }

    @Test
    void aHostileFileNameIsEscapedAndCutInTheRefusalEvent() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of());
        request(TftpRequest.read("\u001b[2J" + "x".repeat(400), "octet", Map.of()));
        assertAnswer(TftpErrorCode.FILE_NOT_FOUND);
        String detail = events.get(0).detail();
        assertFalse(detail.contains("\u001b"), detail);
        assertTrue(detail.startsWith("\\x1b[2J"), detail);
        assertTrue(detail.length() < 2 * NetworkText.MAX_CHARS + 80, () -> detail.length() + " characters");
    }

    @Test
    void namesOutsideTheRootAreAccessViolations() throws Exception {
        for (Reason reason : new Reason[] {Reason.OUTSIDE_ROOT, Reason.INVALID_NAME, Reason.DENIED}) {
            serve(refusing(reason), Map.of());
            request(TftpRequest.read("../etc/passwd", "octet", Map.of()));
            assertAnswer(TftpErrorCode.ACCESS_VIOLATION);
        }
    }

    @Test
    void fileSystemFailuresDoNotLeakPathsToTheClient() throws Exception {
        serve(refusing(Reason.IO_ERROR), Map.of());
        request(TftpRequest.read("pxelinux.0", "octet", Map.of()));
        TftpError error = assertAnswer(TftpErrorCode.NOT_DEFINED);
        assertFalse(error.message().contains("refused for the test"), error.message());
    }

    @Test
    void uploadsAreRefusedUnlessAllowed() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of());
        request(TftpRequest.write("planted", "octet", Map.of()));
        assertAnswer(TftpErrorCode.ACCESS_VIOLATION);
    }

    @Test
    void anUploadOverAnExistingFileIsError6() throws Exception {
        serve(refusing(Reason.ALREADY_EXISTS), Map.of("allowWrite", "true"));
        request(TftpRequest.write("pxelinux.0", "octet", Map.of()));
        assertAnswer(TftpErrorCode.FILE_EXISTS);
    }

    @Test
    void anAnnouncedUploadLargerThanAllowedIsError3() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of("allowWrite", "true", "maxUploadSize", "100"));
        request(TftpRequest.write("big", "octet", Map.of("tsize", "101")));
        assertAnswer(TftpErrorCode.DISK_FULL);
    }

    @Test
    void unknownAndMailModesAreIllegalOperations() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of());
        request(TftpRequest.read("f", "mail", Map.of()));
        assertAnswer(TftpErrorCode.ILLEGAL_OPERATION);
        request(TftpRequest.read("f", "binary", Map.of()));
        assertAnswer(TftpErrorCode.ILLEGAL_OPERATION);
    }

    @Test
    void anAbsurdOptionValueIsError8() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of("allowWrite", "true"));
        request(TftpRequest.write("f", "octet", Map.of("blksize", "4")));
        assertAnswer(TftpErrorCode.OPTION_REFUSED);
    }

    @Test
    void optionValuesThatAreNoNumbersAreIgnoredAndTheFileIsServed() throws Exception {
        serve(serving(new byte[1000]), Map.of());
        request(TftpRequest.read("pxelinux.0", "octet", Map.of("tsize", "enable", "blksize", "foo", "timeout", "x",
                "windowsize", "y")));
        assertNull(channel.readOutbound(), "no ERROR from the request port");
        assertEquals(1, firstBlockSent(transferPorts.get(0)), "nothing to acknowledge: DATA 1 comes first");

        request(new InetSocketAddress(CLIENT.getAddress(), CLIENT.getPort() + 1),
                TftpRequest.read("pxelinux.0", "octet", Map.of("tsize", "enable", "blksize", "1428")));
        assertNull(channel.readOutbound(), "no ERROR from the request port");
        assertEquals(Map.of("blksize", "1428"), optionsAcknowledged(transferPorts.get(1)));
    }

    @Test
    void requestsBeyondTheTransferCapAreToldTheServerIsBusy() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of("maxTransfers", "1"));
        assertInstanceOf(TransferSlots.Slot.class,
                registry.admit(new InetSocketAddress("192.0.2.11", 2048), TftpRequest.read("g", "octet", Map.of()), 1, 1));
        request(TftpRequest.read("f", "octet", Map.of()));
        TftpError error = assertAnswer(TftpErrorCode.NOT_DEFINED);
        assertTrue(error.message().contains("busy"), error.message());
        assertEquals(1, registry.refusedBusy.sum());
    }

    @Test
    void aFloodOfRequestsFromOneAddressHoldsNoMoreThanItsShareAndEveryoneElseIsStillServed() throws Exception {
        serve(serving(new byte[100_000]), Map.of());
        InetSocketAddress flooder = new InetSocketAddress("192.0.2.66", 1024);
        for (int i = 0; i < 1000; i++) {
            request(new InetSocketAddress(flooder.getAddress(), 1024 + i),
                    TftpRequest.read("file-" + i, "octet", Map.of("timeout", "255", "tsize", "0")));
        }
        assertEquals(TftpSettings.DEFAULT_MAX_TRANSFERS_PER_CLIENT, transferPorts.size(),
                "transfers started for one address");
        for (int i = TftpSettings.DEFAULT_MAX_TRANSFERS_PER_CLIENT; i < 1000; i++) {
            AddressedEnvelope<TftpPacket, InetSocketAddress> answer = channel.readOutbound();
            assertTrue(((TftpError) answer.content()).message().contains("busy"), answer.content().toString());
        }
        assertEquals(1000 - TftpSettings.DEFAULT_MAX_TRANSFERS_PER_CLIENT, registry.refusedClientBusy.sum());

        request(TftpRequest.read("pxelinux.0", "octet", Map.of()));
        assertNull(channel.readOutbound(), "another client is not refused");
        assertEquals(TftpSettings.DEFAULT_MAX_TRANSFERS_PER_CLIENT + 1, transferPorts.size());
    }

    @Test
    void aFloodOfRefusalsIsCountedInFullButLoggedAtMostOnceAMinute() throws Exception {
        serve(serving(new byte[100_000]), Map.of("maxTransfersPerClient", "1"));
        String logged = stderrOf(() -> {
            for (int i = 0; i < 1000; i++) {
                request(new InetSocketAddress("192.0.2.66", 1024 + i), TftpRequest.read("f" + i, "octet", Map.of()));
            }
        });
        drainRequestPort();
        assertEquals(999, registry.refusedClientBusy.sum());
        long lines = logged.lines().filter(line -> line.contains("maxTransfersPerClient")).count();
        assertTrue(lines <= 1, lines + " lines for one flood:\n" + logged.lines().limit(5).toList());
    }

    @Test
    void aNameFromTheNetworkIsEscapedAndCappedBeforeItIsLoggedOrSentBack() throws Exception {
        serve(serving(new byte[1000]), Map.of("maxTransfersPerClient", "1"));
        request(TftpRequest.read("first", "octet", Map.of()));
        String hostile = "\u001b]0;owned\u0007\u001b[2J" + "x".repeat(5000);

        String logged = stderrOf(() -> request(TftpRequest.read(hostile, "octet", Map.of())));
        assertTrue(logged.contains("maxTransfersPerClient"), logged);
        assertFalse(logged.contains("\u001b"), logged);
        assertTrue(logged.length() < 1000, logged.length() + " characters logged");
        drainRequestPort();

        InetSocketAddress other = new InetSocketAddress("192.0.2.11", 2048);
        request(other, TftpRequest.read("second", "octet\u001b[31m" + "y".repeat(5000), Map.of()));
        AddressedEnvelope<TftpPacket, InetSocketAddress> answer = channel.readOutbound();
        TftpError error = (TftpError) answer.content();
        assertEquals(TftpErrorCode.ILLEGAL_OPERATION, error.errorCode(), error.message());
        assertFalse(error.message().contains("\u001b"), error.message());
        assertTrue(error.message().length() < 200, error.message().length() + " characters sent back");
    }

    @Test
    void theFloodersTransfersGiveTheirSlotsBackWithinTheServersTimeoutWhateverTheyAsked() throws Exception {
        serve(serving(new byte[100_000]), Map.of());
        InetSocketAddress flooder = new InetSocketAddress("192.0.2.66", 1024);
        for (int i = 0; i < 100; i++) {
            request(new InetSocketAddress(flooder.getAddress(), 1024 + i),
                    TftpRequest.read("file-" + i, "octet", Map.of("timeout", "255")));
        }
        drainRequestPort();
        assertEquals(TftpSettings.DEFAULT_MAX_TRANSFERS_PER_CLIENT, registry.activeCount());
        elapse(Duration.ofSeconds(TftpSettings.DEFAULT_TIMEOUT_SECONDS * (TftpSettings.DEFAULT_RETRIES + 1L)));
        assertEquals(0, registry.activeCount(), "no answer to any OACK: every transfer given up");
        int before = transferPorts.size();
        request(new InetSocketAddress(flooder.getAddress(), 5000), TftpRequest.read("again", "octet", Map.of()));
        assertEquals(before + 1, transferPorts.size(), "the address has its slots back");
    }

    @Test
    void aRequestRepeatedFromTheSamePortIsTheTransferAlreadyServingItNotAnotherOne() throws Exception {
        serve(serving(new byte[100_000]), Map.of());
        TftpRequest request = TftpRequest.read("pxelinux.0", "octet", Map.of("blksize", "1468"));
        for (int i = 0; i < 1000; i++) {
            request(request);
        }
        assertEquals(1, transferPorts.size());
        assertEquals(999, registry.repeatedRequests.sum());
        assertNull(channel.readOutbound(), "a repeat is not answered on the request port");

        request(new InetSocketAddress(CLIENT.getAddress(), CLIENT.getPort() + 1), request);
        assertEquals(2, transferPorts.size(), "the same request from another port is another transfer");
    }

    @Test
    void theFileWorkOfARequestIsDoneOffTheEventLoopAndItsTransferStartsBackOnIt() throws Exception {
        List<Runnable> waiting = new ArrayList<>();
        fileWork = waiting::add;
        serve(serving(new byte[1000]), Map.of());
        request(TftpRequest.read("pxelinux.0", "octet", Map.of()));
        assertEquals(List.of(), resolved, "no name is resolved on the event loop");
        request(new TftpAck(3));
        assertAnswer(TftpErrorCode.UNKNOWN_TRANSFER_ID); // the port keeps answering meanwhile

        waiting.remove(0).run(); // on a file-work thread
        assertEquals(List.of("pxelinux.0"), resolved);
        assertTrue(transferPorts.isEmpty(), "the transfer starts on the event loop, not on the file-work thread");
        channel.runPendingTasks();
        assertEquals(1, transferPorts.size());
        assertEquals(1, firstBlockSent(transferPorts.get(0)));
    }

    @Test
    void whenTooManyRequestsWaitForTheFileSystemTheNextIsToldTheServerIsBusyAndCounted() throws Exception {
        AtomicBoolean full = new AtomicBoolean(true);
        fileWork = task -> {
            if (full.get()) {
                throw new RejectedExecutionException("queue full");
            }
            task.run();
        };
        serve(serving(new byte[1000]), Map.of("maxTransfers", "1"));
        request(TftpRequest.read("pxelinux.0", "octet", Map.of()));
        assertTrue(assertAnswer(TftpErrorCode.NOT_DEFINED).message().contains("busy"));
        assertEquals(1, registry.snapshot().refusedQueueFull());

        full.set(false);
        request(TftpRequest.read("pxelinux.0", "octet", Map.of()));
        assertEquals(1, transferPorts.size(), "the refused request gave its slot back");
    }

    @Test
    void everyRequestIsAccountedForOnceWhateverBecomesOfIt() throws Exception {
        List<Runnable> waiting = new ArrayList<>();
        fileWork = waiting::add;
        serve(serving(new byte[1000]), Map.of());
        request(TftpRequest.read("pxelinux.0", "octet", Map.of()));
        assertEquals(1, registry.snapshot().preparing(), "waiting for the file system");
        assertAccounted();
        waiting.remove(0).run();
        channel.runPendingTasks();
        assertEquals(0, registry.snapshot().preparing());
        assertEquals(1, registry.snapshot().active(), "now a transfer");
        request(TftpRequest.read("pxelinux.0", "octet", Map.of())); // the same again: a repeat
        assertAccounted();

        fileWork = Runnable::run;
        serve(refusing(Reason.NOT_FOUND), Map.of());
        request(TftpRequest.read("missing", "octet", Map.of()));
        assertAnswer(TftpErrorCode.FILE_NOT_FOUND);
        assertEquals(1, registry.snapshot().notServed());
        assertAccounted();

        multicast = (file, options, context) -> true;
        serve(serving(new byte[1000]), Map.of());
        request(new InetSocketAddress(CLIENT.getAddress(), CLIENT.getPort() + 1),
                TftpRequest.read("vmlinuz", "octet", Map.of("multicast", "")));
        assertEquals(1, registry.snapshot().multicast());
        assertAccounted();

        elapse(Duration.ofMinutes(2)); // the unanswered transfer gives up
        assertEquals(1, registry.snapshot().failed());
        assertEquals(0, registry.snapshot().active());
        assertAccounted();
    }

    private void assertAccounted() {
        TftpStatistics s = registry.snapshot();
        assertEquals(s.readRequests() + s.writeRequests(), s.accounted(), s::toString);
        assertEquals(s.started(), s.completed() + s.failed() + s.active(), () -> "every transfer started ends once: " + s);
    }

    @Test
    void aResolverThatThrowsCostsTheRequestNotItsSlotOrThePort() throws Exception {
        BootFileResolver broken = new BootFileResolver() {
            @Override
            public BootFile resolve(String path, BootContext context) {
                throw new IllegalStateException("provider bug");
            }

            @Override
            public BootFileUpload createUpload(String path, BootContext context, boolean replace) {
                throw new IllegalStateException("provider bug");
            }
        };
        serve(broken, Map.of("maxTransfers", "1"));
        request(TftpRequest.read("a", "octet", Map.of()));
        assertAnswer(TftpErrorCode.NOT_DEFINED);
        request(TftpRequest.read("b", "octet", Map.of()));
        assertAnswer(TftpErrorCode.NOT_DEFINED); // not "busy": the first slot came back
        assertEquals(0, registry.refusedBusy.sum());
    }

    @Test
    void aNetasciiRequestWithoutTsizeReadsNoMoreOfALargeFileThanItSends() throws Exception {
        serve(serving(new byte[10 << 20]), Map.of());
        request(TftpRequest.read("big.txt", "netascii", Map.of()));
        assertEquals(1, firstBlockSent(transferPorts.get(0)));
        assertTrue(opened.get(0).bytesRead <= 16 * 1024, "read before the first block: " + opened.get(0).bytesRead);
    }

    @Test
    void netasciiTsizeIsTheConvertedSizeForTextAndLeftOutRatherThanReadWholeForALargeFile() throws Exception {
        serve(serving("line\n".repeat(100).getBytes(StandardCharsets.US_ASCII)), Map.of());
        request(TftpRequest.read("menu.txt", "netascii", Map.of("tsize", "0")));
        assertEquals(Map.of("tsize", "600"), ((TftpOptionAck) firstSentEnvelope(transferPorts.get(0))).options());

        serve(serving(new byte[(int) TransferPreparation.NETASCII_TSIZE_LIMIT + 1]), Map.of());
        request(TftpRequest.read("big.txt", "netascii", Map.of("tsize", "0", "blksize", "1024")));
        assertEquals(Map.of("blksize", "1024"), ((TftpOptionAck) firstSentEnvelope(transferPorts.get(1))).options());
        assertEquals(0, opened.get(1).bytesRead, "nothing read to answer the request");
    }

    @Test
    void aRefusedRequestGivesItsTransferSlotBack() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of("maxTransfers", "1"));
        request(TftpRequest.read("a", "octet", Map.of()));
        assertAnswer(TftpErrorCode.FILE_NOT_FOUND);
        request(TftpRequest.read("b", "octet", Map.of()));
        assertAnswer(TftpErrorCode.FILE_NOT_FOUND);
    }

    @Test
    void dataAndAcksOnTheRequestPortAreForAnUnknownTransfer() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of());
        request(new TftpAck(3));
        assertAnswer(TftpErrorCode.UNKNOWN_TRANSFER_ID);
    }

    @Test
    void errorsOnTheRequestPortAreNeverAnswered() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of());
        request(new TftpError(0, "bye"));
        datagram("\0\5\0");
        assertNull(channel.readOutbound());
    }

    @Test
    void malformedDatagramsAreAnsweredWithIllegalOperationAndCounted() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of());
        datagram("\0\1no terminator");
        assertAnswer(TftpErrorCode.ILLEGAL_OPERATION);
        datagram("\0\11");
        assertAnswer(TftpErrorCode.ILLEGAL_OPERATION);
        assertEquals(2, registry.malformedPackets.sum());
        request(TftpRequest.read("still-served", "octet", Map.of()));
        assertAnswer(TftpErrorCode.FILE_NOT_FOUND);
    }

    private void request(TftpPacket packet) {
        request(CLIENT, packet);
    }

    private void request(InetSocketAddress from, TftpPacket packet) {
        channel.pipeline().fireChannelRead(new DefaultAddressedEnvelope<>(packet, SERVER, from));
        channel.runPendingTasks();
    }

    /** The block number of the first DATA a transfer's port sent. */
    private static int firstBlockSent(EmbeddedChannel port) {
        ByteBuf encoded = port.readOutbound();
        TftpData data = (TftpData) TftpDecoder.decode(encoded, CLIENT);
        data.release();
        encoded.release();
        return data.block();
    }

    /** The first packet a transfer's port sent that is no DATA (an OACK, an ERROR). */
    private static TftpPacket firstSentEnvelope(EmbeddedChannel port) {
        AddressedEnvelope<TftpPacket, InetSocketAddress> sent = port.readOutbound();
        return sent.content();
    }

    /** What {@code action} printed on standard error (where the test logger writes), printed there too. */
    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    private void drainRequestPort() {
        for (Object sent; (sent = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(sent);
        }
    }

    /** Lets {@code time} pass on the transfers' clock and their ports' timers; what they send is dropped. */
    private void elapse(Duration time) {
        for (long second = 0; second < time.toSeconds(); second++) {
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
            for (EmbeddedChannel port : transferPorts) {
                port.advanceTimeBy(1, TimeUnit.SECONDS);
                port.runScheduledPendingTasks();
                for (Object sent; (sent = port.readOutbound()) != null; ) {
                    ReferenceCountUtil.release(sent);
                }
            }
        }
    }

    private void datagram(String iso) {
        channel.writeOneInbound(new DatagramPacket(
                Unpooled.copiedBuffer(iso, StandardCharsets.ISO_8859_1), SERVER, CLIENT));
        channel.runPendingTasks();
    }

    private TftpError assertAnswer(TftpErrorCode expected) {
        AddressedEnvelope<TftpPacket, InetSocketAddress> answer = channel.readOutbound();
        assertEquals(CLIENT, answer.recipient());
        TftpError error = (TftpError) answer.content();
        assertEquals(expected, error.errorCode(), error.message());
        return error;
    }
}
