package org.diskless.web.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.AsyncContext;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Requests and responses for unit tests of the servlet, without a container: what the servlet reads
 * is given, what it writes is recorded. A method the servlet calls that is not modelled here fails
 * the test, so a change that needs more of the Servlet API shows.
 */
final class FakeHttp {

    private FakeHttp() {
    }

    /** A request to {@code /diskless + pathInfo}. */
    static final class Request {
        String method = "GET";
        String pathInfo;
        String remoteAddress = "192.0.2.1";
        final Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = new byte[0];
        long contentLength = -1;
        AsyncContext async;

        Request(String method, String pathInfo) {
            this.method = method;
            this.pathInfo = pathInfo;
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request from(String address) {
            remoteAddress = address;
            return this;
        }

        Request body(String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            contentLength = body.length;
            return this;
        }

        HttpServletRequest proxy(Response response) {
            ServletInputStream in = new ServletInputStream() {
                private final ByteArrayInputStream bytes = new ByteArrayInputStream(body);

                @Override
                public int read() {
                    return bytes.read();
                }

                @Override
                public boolean isFinished() {
                    return bytes.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
            return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "getMethod" -> method;
                        case "getPathInfo" -> pathInfo;
                        case "getRequestURI" -> DashboardServlet.ROOT + (pathInfo == null ? "" : pathInfo);
                        case "getContextPath" -> "";
                        case "getHeader" -> headers.get((String) args[0]);
                        case "getRemoteAddr" -> remoteAddress;
                        case "getContentLengthLong" -> contentLength;
                        case "getInputStream" -> in;
                        case "startAsync" -> {
                            async = asyncContext(response);
                            yield async;
                        }
                        case "toString" -> method + " " + pathInfo;
                        default -> throw new UnsupportedOperationException("request." + m.getName());
                    });
        }
    }

    /** An async context whose response is {@code response}; completing it is recorded there. */
    static AsyncContext asyncContext(Response response) {
        HttpServletResponse servletResponse = response.proxy();
        return (AsyncContext) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {AsyncContext.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getResponse" -> servletResponse;
                    case "setTimeout" -> null;
                    case "complete" -> {
                        response.completed++;
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "async";
                    default -> throw new UnsupportedOperationException("async." + m.getName());
                });
    }

    /** An output stream the test says is ready or not, as a connection that takes data or is full. */
    static final class Output extends ServletOutputStream {
        static final long BLOCKING_TIMEOUT_NANOS = 30_000_000_000L;
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        volatile boolean ready = true;
        volatile boolean broken;
        volatile WriteListener listener;
        int flushes;

        @Override
        public synchronized void write(int b) {
            written.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            if (broken) {
                throw new java.io.IOException("Broken pipe");
            }
            if (!ready && listener != null) {
                throw new IllegalStateException("written while not ready");
            }
            // Blocking mode: a write waits for a full connection, as the container's does, until its idle timeout.
            long deadline = System.nanoTime() + BLOCKING_TIMEOUT_NANOS;
            while (!ready) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new java.io.IOException("idle timeout");
                }
                try {
                    wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
            }
            written.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            flushes++;
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
            listener = writeListener;
        }

        /** The connection takes data again: the container calls the listener, as it would. */
        void drained() throws java.io.IOException {
            ready = true;
            listener.onWritePossible();
        }

        synchronized String text() {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    /** What the servlet answered. */
    static final class Response {
        int status = 200;
        final Map<String, String> headers = new LinkedHashMap<>();
        String contentType;
        final Output out = new Output();
        final List<String> redirects = new ArrayList<>();
        int completed;

        HttpServletResponse proxy() {
            return (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "setHeader" -> {
                            headers.put((String) args[0], (String) args[1]);
                            yield null;
                        }
                        case "setContentType" -> {
                            contentType = (String) args[0];
                            yield null;
                        }
                        case "setContentLength", "flushBuffer" -> null;
                        case "getOutputStream" -> out;
                        case "sendRedirect" -> {
                            status = 302;
                            redirects.add((String) args[0]);
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException("response." + m.getName());
                    });
        }

        String body() {
            return out.text();
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body();
        }
    }
}
