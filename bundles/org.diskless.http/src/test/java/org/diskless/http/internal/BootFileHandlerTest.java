package org.diskless.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootFileHandlerTest {

    private static final Instant MODIFIED = Instant.parse("2026-11-30T10:15:30Z");
    private static final byte[] KERNEL = kernel();

    @TempDir
    Path root;
    private HttpHarness http;

    private static byte[] kernel() {
        byte[] bytes = new byte[300_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 8));
        }
        return bytes;
    }

    @BeforeEach
    void setUp() throws IOException {
        http = new HttpHarness(root);
        http.file("images/vmlinuz", KERNEL, MODIFIED);
    }

    @AfterEach
    void tearDown() {
        http.close();
    }

    @Test
    void getSendsTheWholeFileFromTheKernelWithLengthAndValidators() throws IOException {
        HttpHarness.Response response = http.only("GET /images/vmlinuz HTTP/1.1\nHost: boot\n\n");
        assertEquals(200, response.status());
        assertArrayEquals(KERNEL, response.body());
        assertEquals(Integer.toString(KERNEL.length), response.header("Content-Length"));
        assertEquals("application/octet-stream", response.header("Content-Type"));
        assertEquals("bytes", response.header("Accept-Ranges"));
        assertEquals("Mon, 30 Nov 2026 10:15:30 GMT", response.header("Last-Modified"));
        assertNotNull(response.header("ETag"));
        assertNotNull(response.header("Date"));
        assertEquals(1, http.regionsWritten, "a file of the tree goes to the kernel as a file region");
        assertTrue(http.channel.isOpen(), "HTTP/1.1 keeps the connection");
    }

    @Test
    void anEfiImageIsApplicationEfi() throws IOException {
        http.file("ipxe.efi", new byte[] {'M', 'Z'}, MODIFIED);
        assertEquals("application/efi", http.only("GET /ipxe.efi HTTP/1.1\n\n").header("Content-Type"));
    }

    @Test
    void aPercentEncodedPathAndAQueryAreDecoded() throws IOException {
        HttpHarness.Response response = http.only("GET /images%2Fvml%69nuz?x=1 HTTP/1.1\n\n");
        assertEquals(200, response.status());
        assertArrayEquals(KERNEL, response.body());
    }

    @Test
    void aRangeIsSentAs206WithItsContentRange() throws IOException {
        HttpHarness.Response response = http.only("GET /images/vmlinuz HTTP/1.1\nRange: bytes=1000-1999\n\n");
        assertEquals(206, response.status());
        assertEquals("bytes 1000-1999/" + KERNEL.length, response.header("Content-Range"));
        assertEquals("1000", response.header("Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(KERNEL, 1000, 2000), response.body());
    }

    @Test
    void anOpenEndedRangeResumesADownload() throws IOException {
        HttpHarness.Response response = http.only("GET /images/vmlinuz HTTP/1.1\nRange: bytes=123456-\n\n");
        assertEquals(206, response.status());
        assertArrayEquals(Arrays.copyOfRange(KERNEL, 123456, KERNEL.length), response.body());
    }

    @Test
    void aSuffixRangeSendsTheLastBytes() throws IOException {
        HttpHarness.Response response = http.only("GET /images/vmlinuz HTTP/1.1\nRange: bytes=-10\n\n");
        assertEquals(206, response.status());
        assertArrayEquals(Arrays.copyOfRange(KERNEL, KERNEL.length - 10, KERNEL.length), response.body());
    }

    @Test
    void aRangePastTheEndIs416WithTheSize() throws IOException {
        HttpHarness.Response response = http.only("GET /images/vmlinuz HTTP/1.1\nRange: bytes=" + KERNEL.length
                + "-\n\n");
        assertEquals(416, response.status());
        assertEquals("bytes */" + KERNEL.length, response.header("Content-Range"));
        assertTrue(http.channel.isOpen());
    }

    @Test
    void severalRangesGetTheWholeFile() throws IOException {
        HttpHarness.Response response = http.only("GET /images/vmlinuz HTTP/1.1\nRange: bytes=0-9,20-29\n\n");
        assertEquals(200, response.status());
        assertArrayEquals(KERNEL, response.body());
    }

    @Test
    void aMatchingEtagIs304WithoutBody() throws IOException {
        String etag = http.only("HEAD /images/vmlinuz HTTP/1.1\n\n").header("ETag");
        HttpHarness.Response response = http.only("GET /images/vmlinuz HTTP/1.1\nIf-None-Match: " + etag + "\n\n");
        assertEquals(304, response.status());
        assertEquals(etag, response.header("ETag"));
        assertEquals(0, response.body().length);
    }

    @Test
    void anotherEtagGetsTheFile() throws IOException {
        HttpHarness.Response response = http.only("GET /images/vmlinuz HTTP/1.1\nIf-None-Match: \"other\"\n\n");
        assertEquals(200, response.status());
        assertArrayEquals(KERNEL, response.body());
    }

    @Test
    void ifModifiedSinceAtOrAfterTheFileIs304AndBeforeItIs200() throws IOException {
        assertEquals(304, http.only("GET /images/vmlinuz HTTP/1.1\nIf-Modified-Since: Mon, 30 Nov 2026 10:15:30 GMT\n\n")
                .status());
        assertEquals(200, http.only("GET /images/vmlinuz HTTP/1.1\nIf-Modified-Since: Mon, 30 Nov 2026 10:15:29 GMT\n\n")
                .status());
    }

    @Test
    void anIfRangeOfAnotherVersionSendsTheWholeFile() throws IOException {
        HttpHarness.Response response = http.only("GET /images/vmlinuz HTTP/1.1\nRange: bytes=0-9\n"
                + "If-Range: \"old-version\"\n\n");
        assertEquals(200, response.status());
        assertEquals(KERNEL.length, response.body().length);
        String etag = http.only("HEAD /images/vmlinuz HTTP/1.1\n\n").header("ETag");
        assertEquals(206, http.only("GET /images/vmlinuz HTTP/1.1\nRange: bytes=0-9\nIf-Range: " + etag + "\n\n")
                .status());
    }

    @Test
    void headAnnouncesTheFileAndSendsNoBody() throws IOException {
        HttpHarness.Response response = http.only("HEAD /images/vmlinuz HTTP/1.1\n\n");
        assertEquals(200, response.status());
        assertEquals(Integer.toString(KERNEL.length), response.header("Content-Length"));
        assertEquals(0, response.body().length);
        assertEquals(0, http.regionsWritten);
        assertTrue(http.events.isEmpty(), "a HEAD sends no file: " + http.events);
    }

    @Test
    void aGeneratedFileIsSentInChunksWithoutValidators() throws IOException {
        byte[] script = "#!ipxe\nkernel /images/vmlinuz\nboot\n".getBytes(StandardCharsets.US_ASCII);
        http.generated.put("ipxe/01-52-54-00-12-34-56.ipxe", script);
        HttpHarness.Response response = http.only("GET /ipxe/01-52-54-00-12-34-56.ipxe HTTP/1.1\n\n");
        assertEquals(200, response.status());
        assertArrayEquals(script, response.body());
        assertEquals(0, http.regionsWritten);
        assertNull(response.header("ETag"));
        assertNull(response.header("Last-Modified"));
        assertEquals(200, http.only("GET /ipxe/01-52-54-00-12-34-56.ipxe HTTP/1.1\nIf-None-Match: *\n\n").status(),
                "a generated file is never 304: the client holds no copy of this one");
    }

    /** GRUB's HTTP client reads "Content-Length: " only in this spelling: lower case, it never learns a size. */
    @Test
    void headerNamesAreWrittenInTheirUsualSpelling() throws IOException {
        HttpHarness.Response file = http.only("GET /images/vmlinuz HTTP/1.1\n\n");
        assertEquals(List.of("Date", "ETag", "Last-Modified", "Content-Type", "Accept-Ranges", "Content-Length"),
                file.writtenNames());
        HttpHarness.Response missing = http.only("GET /images/missing HTTP/1.1\nConnection: close\n\n");
        assertEquals(List.of("Date", "Content-Type", "Content-Length", "X-Content-Type-Options", "Connection"),
                missing.writtenNames());
    }

    @Test
    void aMissingFileIs404NamingOnlyTheRequestedPath() throws IOException {
        HttpHarness.Response response = http.only("GET /images/missing HTTP/1.1\n\n");
        assertEquals(404, response.status());
        assertEquals("404 Not Found: /images/missing\n", response.text());
        assertFalse(response.text().contains(root.toString()));
        assertTrue(http.channel.isOpen());
        BootEvent failed = http.events.get(0);
        assertEquals(BootEvent.Kind.FILE_FAILED, failed.kind());
        assertEquals(BootProtocol.HTTP, failed.protocol());
    }

    @Test
    void aPathOutOfTheJailIs403NamingNothingOfTheServer() throws IOException {
        HttpHarness.Response response = http.only("GET /images/../../etc/passwd HTTP/1.1\n\n");
        assertEquals(403, response.status());
        assertFalse(response.text().contains(root.toString()), response.text());
    }

    @Test
    void aDirectoryIsNeverListed() throws IOException {
        HttpHarness.Response response = http.only("GET /images/ HTTP/1.1\n\n");
        assertEquals(403, response.status());
        assertFalse(response.text().contains("vmlinuz"), response.text());
    }

    @Test
    void aNulInThePathIs400() throws IOException {
        assertEquals(400, http.only("GET /images%00/vmlinuz HTTP/1.1\n\n").status());
        assertEquals(400, http.only("GET /images%zz HTTP/1.1\n\n").status());
    }

    @Test
    void otherMethodsAre405NamingGetAndHead() throws IOException {
        for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS")) {
            HttpHarness.Response response = http.only(method + " /images/vmlinuz HTTP/1.1\nContent-Length: 0\n\n");
            assertEquals(405, response.status(), method);
            assertEquals("GET, HEAD", response.header("Allow"));
        }
    }

    @Test
    void aTooLongRequestLineIs414AndEndsTheConnection() throws IOException {
        HttpHarness.Response response = http.only("GET /" + "a".repeat(HttpPipeline.MAX_REQUEST_LINE) + " HTTP/1.1\n\n");
        assertEquals(414, response.status());
        assertFalse(http.channel.isOpen());
    }

    @Test
    void tooManyHeaderBytesAre431AndEndTheConnection() throws IOException {
        HttpHarness.Response response = http.only("GET /images/vmlinuz HTTP/1.1\nX-Fill: "
                + "b".repeat(HttpPipeline.MAX_HEADER_SIZE) + "\n\n");
        assertEquals(431, response.status());
        assertFalse(http.channel.isOpen());
    }

    @Test
    void garbageIs400AndEndsTheConnection() throws IOException {
        HttpHarness.Response response = http.only("\u0001\u0002 nonsense\n\n");
        assertEquals(400, response.status());
        assertFalse(http.channel.isOpen());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws IOException {
        http.file("a", "first".getBytes(StandardCharsets.US_ASCII), MODIFIED);
        http.file("b", "second".getBytes(StandardCharsets.US_ASCII), MODIFIED);
        List<HttpHarness.Response> responses = http.exchange("GET /a HTTP/1.1\n\nGET /missing HTTP/1.1\n\n"
                + "GET /b HTTP/1.1\n\n");
        assertEquals(List.of(200, 404, 200), responses.stream().map(HttpHarness.Response::status).toList());
        assertEquals("first", responses.get(0).text());
        assertEquals("second", responses.get(2).text());
        assertTrue(http.channel.isOpen());
    }

    @Test
    void tooManyPipelinedRequestsEndTheConnection() throws IOException {
        http.fileWork = command -> { }; // nothing is answered, so every request waits
        http.exchange("GET /images/vmlinuz HTTP/1.1\n\n".repeat(BootFileHandler.MAX_PIPELINED + 2));
        assertFalse(http.channel.isOpen());
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheFile() throws IOException {
        HttpHarness.Response response = http.only("GET /images/vmlinuz HTTP/1.0\n\n");
        assertEquals(200, response.status());
        assertArrayEquals(KERNEL, response.body());
        assertFalse(http.channel.isOpen());
    }

    @Test
    void connectionCloseIsHonouredAfterTheAnswer() throws IOException {
        HttpHarness.Response response = http.only("GET /images/missing HTTP/1.1\nConnection: close\n\n");
        assertEquals(404, response.status());
        assertEquals("close", response.header("Connection"));
        assertFalse(http.channel.isOpen());
    }

    @Test
    void aClientAmidAnAnswerIsClosedOnlyWhenAWholePeriodMovedNothing() throws IOException {
        http.fileWork = command -> { }; // the answer never ends
        http.exchange("GET /images/vmlinuz HTTP/1.1\n\n");
        http.channel.pipeline().fireUserEventTriggered(
                io.netty.handler.timeout.IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
        assertTrue(http.channel.isOpen(), "the first event of a period says nothing of the body's progress");
        http.channel.pipeline().fireUserEventTriggered(io.netty.handler.timeout.IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertFalse(http.channel.isOpen());
    }

    @Test
    void aConnectionWaitingForARequestIsClosedAtTheFirstIdleEvent() {
        http.channel.pipeline().fireUserEventTriggered(
                io.netty.handler.timeout.IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
        assertFalse(http.channel.isOpen());
    }

    @Test
    void anIdleConnectionIsClosedAndCounted() {
        http.channel.pipeline().fireUserEventTriggered(io.netty.handler.timeout.IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertFalse(http.channel.isOpen());
        assertEquals(1L, http.counters.snapshot().get("idle_closed"));
    }

    @Test
    void aFullFileWorkQueueIs503() throws IOException {
        http.fileWork = command -> {
            throw new RejectedExecutionException("full");
        };
        HttpHarness.Response response = http.only("GET /images/vmlinuz HTTP/1.1\n\n");
        assertEquals(503, response.status());
        assertEquals("1", response.header("Retry-After"));
    }

    @Test
    void aFileSentIsABootEventWithItsSizeAndDuration() throws IOException {
        http.only("GET /images/vmlinuz HTTP/1.1\nRange: bytes=100-\n\n");
        List<BootEvent.Kind> kinds = http.events.stream().map(BootEvent::kind).toList();
        assertEquals(List.of(BootEvent.Kind.FILE_STARTED, BootEvent.Kind.FILE_SENT), kinds);
        BootEvent sent = http.events.get(1);
        assertEquals(KERNEL.length - 100, sent.bytes());
        assertEquals(HttpHarness.CLIENT.getAddress(), sent.client());
        assertEquals("images/vmlinuz from byte 100", sent.detail());
        assertTrue(http.transfers.views().isEmpty());
        assertEquals(1L, http.counters.snapshot().get("transfers_started"));
        assertEquals(1L, http.counters.snapshot().get("files_sent"));
        assertEquals(1L, http.counters.snapshot().get("ranges_sent"));
        assertEquals((long) KERNEL.length - 100, http.counters.snapshot().get("bytes_sent_zero_copy"));
    }
}
