package dev.berth.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * One keep-alive HTTP/1.1 connection over a blocking socket: the smallest client that can drive a registry at the
 * speed of the loopback, so that the benchmark measures the server and not the client. Bodies pass between the
 * caller's buffers and the socket through two small direct buffers of the connection's own, never through the heap:
 * on this kind of VM the kernel copies to and from a few hot pages far faster than from a gibibyte of cold ones
 * (sending straight from the caller's buffer made the client, not the registry, the limit of the image pushes).
 * Over TLS ({@link TlsClient}) the bytes pass through one more buffer, as an {@link SSLSocket} takes arrays.
 * A request during which no byte moves either way for {@link #STALL} fails: a registry that stops answering is a
 * failure to report, not a run that never ends. Not thread-safe: one connection belongs to one worker.
 */
final class HttpConnection implements AutoCloseable {

    private static final int BUFFER = 256 * 1024;
    static final Duration STALL = Duration.ofSeconds(60);

    /** Connections in the middle of a request, which the watchdog closes once they stall. */
    private static final Set<HttpConnection> BUSY = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(task ->
            Thread.ofPlatform().daemon().name("bench-watchdog").unstarted(task));

    static {
        WATCHDOG.scheduleWithFixedDelay(HttpConnection::closeStalled, 1, 1, TimeUnit.SECONDS);
    }

    private final InetSocketAddress address;
    private final Optional<TlsClient> tls;
    private final long stallNanos;
    private final String hostHeader;
    private final ResponseInput in = new ResponseInput(BUFFER, this::moved);
    private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER);
    private volatile Wire wire;
    private volatile long movedAt;
    private volatile boolean stalled;

    /** Over TLS when {@code tls} is given, else plain TCP. */
    HttpConnection(InetSocketAddress address, Optional<TlsClient> tls) {
        this(address, tls, STALL);
    }

    HttpConnection(InetSocketAddress address, Optional<TlsClient> tls, Duration stall) {
        this.address = address;
        this.tls = tls;
        this.stallNanos = stall.toNanos();
        this.hostHeader = address.getHostString() + ":" + address.getPort();
    }

    /**
     * Sends a request and reads the answer. A body, when given, is sent whole from its position to its limit
     * (and left with nothing remaining); {@code into}, when given, receives the response body in place of a copy.
     */
    Response exchange(Request request) throws IOException {
        stalled = false;
        moved();
        BUSY.add(this);
        try {
            return attempt(request);
        } catch (IOException e) {
            if (stalled) {
                throw new IOException("no byte moved for " + Duration.ofNanos(stallNanos).toSeconds()
                        + " s: the registry stopped answering " + request.method() + " " + request.target(), e);
            }
            throw e;
        } finally {
            BUSY.remove(this);
        }
    }

    private Response attempt(Request request) throws IOException {
        for (int attempt = 0; ; attempt++) {
            boolean fresh = wire == null;
            if (fresh) {
                open();
            }
            long received = in.bytesIn();
            try {
                write(request);
                return read(request);
            } catch (EOFException | java.net.SocketException e) {
                // a keep-alive connection the server closed while idle, before any of the answer came: a request
                // without a body is retried once on a new connection, as browsers do; anything else is a failure
                close();
                if (fresh || attempt > 0 || request.hasBody() || in.bytesIn() != received) {
                    throw e;
                }
            }
        }
    }

    private void moved() {
        movedAt = System.nanoTime();
    }

    private static void closeStalled() {
        long now = System.nanoTime();
        for (HttpConnection connection : BUSY) {
            Wire stuck = connection.wire;
            if (stuck != null && now - connection.movedAt > connection.stallNanos) {
                connection.stalled = true;
                try {
                    // the worker blocked in a read or write gets an exception, and reports the stall
                    stuck.close();
                } catch (IOException ignored) {
                    // closing is all that was wanted
                }
            }
        }
    }

    private void open() throws IOException {
        if (tls.isPresent()) {
            wire = new Wire.Tls(tls.get().connect(address), BUFFER);
        } else {
            SocketChannel channel = SocketChannel.open(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            wire = new Wire.Plain(channel);
        }
        in.attach(wire);
    }

    private void write(Request request) throws IOException {
        StringBuilder head = new StringBuilder(256)
                .append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n");
        request.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (request.hasBody()) {
            head.append("Content-Length: ").append(request.body().remaining()).append("\r\n");
        } else if (request.method().equals("PUT") || request.method().equals("POST")
                || request.method().equals("PATCH")) {
            head.append("Content-Length: 0\r\n");
        }
        head.append("\r\n");
        out.clear().put(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer body = request.hasBody() ? request.body() : ByteBuffer.allocate(0);
        do {
            int n = Math.min(out.remaining(), body.remaining());
            out.put(out.position(), body, body.position(), n);
            out.position(out.position() + n);
            body.position(body.position() + n);
            out.flip();
            wire.write(out);
            moved();
            out.clear();
        } while (body.hasRemaining());
    }

    private Response read(Request request) throws IOException {
        String head = in.readHead();
        int lineEnd = head.indexOf("\r\n");
        String statusLine = lineEnd < 0 ? head : head.substring(0, lineEnd);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new HashMap<>();
        for (int start = lineEnd + 2; lineEnd >= 0 && start < head.length(); start = lineEnd + 2) {
            lineEnd = head.indexOf("\r\n", start);
            int end = lineEnd < 0 ? head.length() : lineEnd;
            int colon = head.indexOf(':', start);
            if (colon > start && colon < end) {
                headers.putIfAbsent(head.substring(start, colon).trim().toLowerCase(Locale.ROOT),
                        head.substring(colon + 1, end).trim());
            }
        }
        boolean noBody = request.method().equals("HEAD") || status == 204 || status == 304 || status / 100 == 1;
        byte[] body = new byte[0];
        long received = 0;
        if (!noBody) {
            String length = headers.get("content-length");
            boolean into = request.hasInto() && status / 100 == 2;
            if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
                if (into) {
                    received = in.readChunked(size -> in.readInto(request.into(), size));
                } else {
                    java.io.ByteArrayOutputStream small = new java.io.ByteArrayOutputStream();
                    received = in.readChunked(size -> small.write(in.readSmall(small.size() + size, size)));
                    body = small.toByteArray();
                }
            } else if (length != null) {
                long n = ResponseInput.number(length, 10, "Content-Length");
                if (into) {
                    in.readInto(request.into(), n);
                } else {
                    body = in.readSmall(n, n);
                }
                received = n;
            } else {
                throw new IOException("a response without a length: Berth's client needs Content-Length or chunked");
            }
        }
        if ("close".equalsIgnoreCase(headers.getOrDefault("connection", ""))) {
            close();
        }
        return new Response(status, headers, body, received);
    }

    @Override
    public void close() {
        if (wire != null) {
            try {
                wire.close();
            } catch (IOException ignored) {
                // closing a socket that failed: nothing left to release
            }
            wire = null;
        }
    }
}
