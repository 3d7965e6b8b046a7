package org.diskless.tftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.boot.BootContext;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileException.Reason;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.files.BootFileUpload;
import org.diskless.tftp.codec.TftpAck;
import org.diskless.tftp.codec.TftpDecoder;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpPacket;
import org.diskless.tftp.codec.TftpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

/** What the well-known port answers without starting a transfer. */
class RequestHandlerTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 2048);
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.1", 69);

    private final TransferRegistry registry = new TransferRegistry();
    private EmbeddedChannel channel;

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
        RequestHandler handler = new RequestHandler(TftpSettings.from(config), resolver, Optional::empty,
                new Transfer.Services(registry, event -> { }, System::nanoTime, channel -> 0, 1), null);
        channel = new EmbeddedChannel(new TftpDecoder(), handler);
    }

    @AfterEach
    void portStaysOpen() {
        assertTrue(channel.isOpen(), "the well-known port never closes over a request");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aMissingFileIsError1() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of());
        request(TftpRequest.read("vmlinuz", "octet", Map.of()));
        assertAnswer(TftpErrorCode.FILE_NOT_FOUND);
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
    void requestsBeyondTheTransferCapAreToldTheServerIsBusy() throws Exception {
        serve(refusing(Reason.NOT_FOUND), Map.of("maxTransfers", "1"));
        assertTrue(registry.reserve(1));
        request(TftpRequest.read("f", "octet", Map.of()));
        TftpError error = assertAnswer(TftpErrorCode.NOT_DEFINED);
        assertTrue(error.message().contains("busy"), error.message());
        assertEquals(1, registry.refusedBusy.sum());
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
        channel.pipeline().fireChannelRead(new DefaultAddressedEnvelope<>(packet, SERVER, CLIENT));
        channel.runPendingTasks();
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
