package org.diskless.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.files.BootFileUpload;
import org.diskless.support.context.ClientContexts;
import org.diskless.support.log.LogThrottle;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * The HTTP pipeline on an {@link EmbeddedChannel}, file work run at once, over a boot root of real
 * files (sent as file regions) and generated ones; what the server wrote is read back as responses.
 */
final class HttpHarness implements AutoCloseable {

    static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.20", 40000);

    final Path root;
    final Map<String, byte[]> generated = new HashMap<>();
    final List<BootEvent> events = new ArrayList<>();
    final HttpCounters counters = new HttpCounters();
    final HttpTransfers transfers = new HttpTransfers(System::nanoTime);
    Executor fileWork = Runnable::run;
    final EmbeddedChannel channel;
    int regionsWritten;

    HttpHarness(Path root) {
        this(root, HttpSettings.defaults());
    }

    HttpHarness(Path root, HttpSettings settings) {
        this.root = root;
        BootFileAnswers answers = new BootFileAnswers(new Resolver(), new ClientContexts(Optional::empty,
                Optional::empty, java.time.Clock.systemUTC()), counters, events::add, new LogThrottle(Duration.ofMinutes(1)));
        BootFileHandler.Services services = new BootFileHandler.Services(answers, command -> fileWork.execute(command),
                counters, transfers, events::add);
        this.channel = new ClientChannel(new RegionReader(), new HttpServerCodec(HttpPipeline.MAX_REQUEST_LINE,
                HttpPipeline.MAX_HEADER_SIZE, 8192), new HttpObjectAggregator(HttpPipeline.MAX_BODY),
                new ChunkedWriteHandler(), new BootFileHandler(services));
    }

    /** Sends {@code request} (CRLF line ends added) and returns every response written since. */
    List<Response> exchange(String request) throws IOException {
        channel.writeInbound(Unpooled.copiedBuffer(request.replace("\n", "\r\n"), StandardCharsets.ISO_8859_1));
        return responses();
    }

    List<Response> responses() throws IOException {
        for (int i = 0; i < 100 && channel.isOpen(); i++) {
            channel.runPendingTasks();
            channel.flushOutbound();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Object written; (written = channel.readOutbound()) != null; ) {
            if (written instanceof ByteBuf buf) {
                buf.readBytes(bytes, buf.readableBytes());
                buf.release();
            } else {
                throw new AssertionError("unexpected outbound " + written);
            }
        }
        return Response.parseAll(bytes.toByteArray());
    }

    Response only(String request) throws IOException {
        List<Response> all = exchange(request);
        if (all.size() != 1) {
            throw new AssertionError("expected one response, got " + all.size());
        }
        return all.get(0);
    }

    Path file(String name, byte[] content, Instant modified) throws IOException {
        Path path = root.resolve(name);
        Files.createDirectories(path.getParent());
        Files.write(path, content);
        Files.setLastModifiedTime(path, java.nio.file.attribute.FileTime.from(modified));
        return path;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }

    /** A parsed response: status, headers by lower-case name, body, and the names as written. */
    record Response(int status, Map<String, String> headers, byte[] body, List<String> writtenNames) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        static List<Response> parseAll(byte[] bytes) {
            List<Response> all = new ArrayList<>();
            int at = 0;
            while (at < bytes.length) {
                int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
                String[] lines = new String(bytes, at, end - at, StandardCharsets.ISO_8859_1).split("\r\n");
                int status = Integer.parseInt(lines[0].split(" ")[1]);
                Map<String, String> headers = new LinkedHashMap<>();
                List<String> names = new ArrayList<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    names.add(lines[i].substring(0, colon));
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
                at = end + 4;
                // A 304 announces no body; a HEAD is asked alone, so the bytes left are its body (none).
                int length = status == 304 || !headers.containsKey("content-length")
                        ? 0 : Integer.parseInt(headers.get("content-length"));
                length = Math.min(length, bytes.length - at);
                byte[] body = java.util.Arrays.copyOfRange(bytes, at, at + length);
                at += length;
                all.add(new Response(status, headers, body, names));
            }
            return all;
        }

        private static int indexOf(byte[] bytes, byte[] what, int from) {
            outer:
            for (int i = from; i <= bytes.length - what.length; i++) {
                for (int j = 0; j < what.length; j++) {
                    if (bytes[i + j] != what[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            throw new AssertionError("no end of headers in " + new String(bytes, from, bytes.length - from,
                    StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * Reads a file region as the socket would, while it is written: the server closes the file once
     * the write is done, which on an embedded channel is as soon as it is queued.
     */
    private final class RegionReader extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (!(msg instanceof FileRegion region)) {
                ctx.write(msg, promise);
                return;
            }
            regionsWritten++;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            WritableByteChannel sink = Channels.newChannel(bytes);
            try {
                while (region.transferred() < region.count()) {
                    region.transferTo(sink, region.transferred());
                }
            } finally {
                region.release();
            }
            ctx.write(Unpooled.wrappedBuffer(bytes.toByteArray()), promise);
        }
    }

    /** An embedded channel with a client address, as a socket has. */
    private static final class ClientChannel extends EmbeddedChannel {
        ClientChannel(ChannelHandler... handlers) {
            super(handlers);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return CLIENT;
        }

        @Override
        protected SocketAddress localAddress0() {
            return new InetSocketAddress("192.0.2.1", 8080);
        }
    }

    /**
     * The resolver as the HTTP server sees it: files under {@link #root} and generated ones; a name
     * with {@code ..} leaves the root; a directory is denied.
     */
    private final class Resolver implements BootFileResolver {
        @Override
        public BootFile resolve(String path, BootContext context) throws BootFileException {
            String name = path.startsWith("/") ? path.substring(1) : path;
            if (name.contains("\0")) {
                throw new BootFileException(BootFileException.Reason.INVALID_NAME, "control character");
            }
            if (name.contains("..")) {
                throw new BootFileException(BootFileException.Reason.OUTSIDE_ROOT, root + "/" + name + " is outside");
            }
            byte[] made = generated.get(name);
            if (made != null) {
                return new Generated(name, made);
            }
            Path file = root.resolve(name);
            if (Files.isDirectory(file)) {
                throw new BootFileException(BootFileException.Reason.DENIED, file + " is a directory");
            }
            if (!Files.isRegularFile(file)) {
                throw new BootFileException(BootFileException.Reason.NOT_FOUND, file + " not found");
            }
            try {
                return new Tree(name, file, Files.size(file), Files.getLastModifiedTime(file).toInstant());
            } catch (IOException e) {
                throw new BootFileException(BootFileException.Reason.IO_ERROR, e.getMessage(), e);
            }
        }

        @Override
        public BootFileUpload createUpload(String path, BootContext context, boolean replace) {
            throw new UnsupportedOperationException();
        }
    }

    private record Tree(String path, Path real, long size, Instant modified) implements BootFile {
        @Override
        public boolean generated() {
            return false;
        }

        @Override
        public Optional<Instant> lastModified() {
            return Optional.of(modified);
        }

        @Override
        public BootFileContent open() throws IOException {
            FileChannel file = FileChannel.open(real, StandardOpenOption.READ);
            return new BootFileContent() {
                @Override
                public long size() {
                    return size;
                }

                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    return file.read(dst, position);
                }

                @Override
                public Optional<FileChannel> fileChannel() {
                    return Optional.of(file);
                }

                @Override
                public void close() throws IOException {
                    file.close();
                }
            };
        }
    }

    private record Generated(String path, byte[] content) implements BootFile {
        @Override
        public long size() {
            return content.length;
        }

        @Override
        public boolean generated() {
            return true;
        }

        @Override
        public BootFileContent open() {
            return new BootFileContent() {
                @Override
                public long size() {
                    return content.length;
                }

                @Override
                public int read(ByteBuffer dst, long position) {
                    if (position >= content.length) {
                        return -1;
                    }
                    int n = (int) Math.min(dst.remaining(), content.length - position);
                    dst.put(content, (int) position, n);
                    return n;
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
