package dev.berth.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
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

    /** Headers and small bodies are never larger than this; a registry's JSON answers are far smaller. */
    static final int MAX_SMALL_BODY = 16 * 1024 * 1024;
    private static final int BUFFER = 256 * 1024;
    private static final int MAX_HEAD = 64 * 1024;
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
    private final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER);
    private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER);
    // a response's head, grown to MAX_HEAD for the rare one longer than a usual head
    private byte[] headBytes = new byte[4096];
    private volatile Wire wire;
    private volatile long movedAt;
    private volatile boolean stalled;
    private long bytesIn;

    /** Over TLS when {@code tls} is given, else plain TCP. */
    HttpConnection(InetSocketAddress address, Optional<TlsClient> tls) {
        this(address, tls, STALL);
    }

    HttpConnection(InetSocketAddress address, Optional<TlsClient> tls, Duration stall) {
        this.address = address;
        this.tls = tls;
        this.stallNanos = stall.toNanos();
        this.hostHeader = address.getHostString() + ":" + address.getPort();
        in.flip();
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
            long received = bytesIn;
            try {
                write(request);
                return read(request);
            } catch (EOFException | java.net.SocketException e) {
                // a keep-alive connection the server closed while idle, before any of the answer came: a request
                // without a body is retried once on a new connection, as browsers do; anything else is a failure
                close();
                if (fresh || attempt > 0 || request.hasBody() || bytesIn != received) {
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
            wire = new TlsWire(tls.get().connect(address));
        } else {
            SocketChannel channel = SocketChannel.open(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            wire = new PlainWire(channel);
        }
        in.clear().flip();
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
        String head = readHead();
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
                    received = readChunked(size -> readInto(request.into(), size));
                } else {
                    java.io.ByteArrayOutputStream small = new java.io.ByteArrayOutputStream();
                    received = readChunked(size -> small.write(readSmall(small.size() + size, size)));
                    body = small.toByteArray();
                }
            } else if (length != null) {
                long n = number(length, 10, "Content-Length");
                if (into) {
                    readInto(request.into(), n);
                } else {
                    body = readSmall(n, n);
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

    /** The response's head up to the blank line that ends it, read from the buffer a fill at a time. */
    private String readHead() throws IOException {
        int length = 0;
        int matched = 0;
        while (matched < 4) {
            if (!in.hasRemaining()) {
                fill();
            }
            int start = in.position();
            int at = start;
            while (at < in.limit() && matched < 4) {
                matched = switch (in.get(at++)) {
                    case '\r' -> matched == 0 || matched == 2 ? matched + 1 : 1;
                    case '\n' -> matched == 1 || matched == 3 ? matched + 1 : 0;
                    default -> 0;
                };
            }
            if (length + at - start > MAX_HEAD) {
                throw new IOException("response head longer than " + MAX_HEAD + " bytes");
            }
            if (length + at - start > headBytes.length) {
                headBytes = Arrays.copyOf(headBytes, MAX_HEAD);
            }
            in.get(headBytes, length, at - start);
            length += at - start;
        }
        return new String(headBytes, 0, length - 4, StandardCharsets.ISO_8859_1);
    }

    private void fill() throws IOException {
        in.clear();
        int n = wire.read(in);
        in.flip();
        if (n < 0) {
            throw new EOFException("the server closed the connection");
        }
        bytesIn += n;
        moved();
    }

    /** Reads {@code length} bytes of a body that will be {@code total} bytes long once read. */
    private byte[] readSmall(long total, long length) throws IOException {
        if (total > MAX_SMALL_BODY) {
            throw new IOException("response body of " + total + " bytes where a small one was expected");
        }
        byte[] body = new byte[(int) length];
        int at = 0;
        while (at < body.length) {
            if (!in.hasRemaining()) {
                fill();
            }
            int n = Math.min(in.remaining(), body.length - at);
            in.get(body, at, n);
            at += n;
        }
        return body;
    }

    /**
     * Reads {@code length} bytes into {@code target} through the connection's small read buffer. Reading from the
     * socket straight into a large cold buffer measured two to three times slower than reading into a small hot
     * one and copying (the kernel's copy to cold pages is the slow part), and would make the client the limit.
     */
    private void readInto(ByteBuffer target, long length) throws IOException {
        if (length > target.remaining()) {
            throw new IOException("response body of " + length + " bytes does not fit the " + target.remaining()
                    + " bytes expected");
        }
        long left = length;
        while (left > 0) {
            if (!in.hasRemaining()) {
                fill();
            }
            int n = (int) Math.min(in.remaining(), left);
            target.put(target.position(), in, in.position(), n);
            target.position(target.position() + n);
            in.position(in.position() + n);
            left -= n;
        }
    }

    /** Reads a chunked body, each chunk by {@code chunk}, which is given its size; returns the body's size. */
    private long readChunked(ChunkReader chunk) throws IOException {
        long total = 0;
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            long size = number((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16,
                    "chunk size");
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers: none that matter here
                }
                return total;
            }
            chunk.read(size);
            total += size;
            if (!readLine().isEmpty()) {
                throw new IOException("malformed chunked body");
            }
        }
    }

    private interface ChunkReader {
        void read(long size) throws IOException;
    }

    private static long number(String text, int radix, String what) throws IOException {
        try {
            long value = Long.parseLong(text, radix);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException("not a valid " + what + ": " + text);
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (!in.hasRemaining()) {
                fill();
            }
            char c = (char) (in.get() & 0xff);
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append(c);
            if (line.length() > MAX_HEAD) {
                throw new IOException("line longer than " + MAX_HEAD + " bytes");
            }
        }
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

    /** Where the bytes go: the socket itself, or TLS over it. */
    private interface Wire extends Closeable {
        /** Reads what has arrived into the buffer; -1 once the server has closed the connection. */
        int read(ByteBuffer into) throws IOException;

        /** Writes the whole buffer. */
        void write(ByteBuffer from) throws IOException;
    }

    private record PlainWire(SocketChannel channel) implements Wire {
        @Override
        public int read(ByteBuffer into) throws IOException {
            return channel.read(into);
        }

        @Override
        public void write(ByteBuffer from) throws IOException {
            while (from.hasRemaining()) {
                channel.write(from);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** An {@link SSLSocket} takes arrays, so the connection's buffers pass through one of its own. */
    private static final class TlsWire implements Wire {
        private final SSLSocket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] scratch = new byte[BUFFER];

        TlsWire(SSLSocket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        @Override
        public int read(ByteBuffer into) throws IOException {
            int n = in.read(scratch, 0, Math.min(scratch.length, into.remaining()));
            if (n > 0) {
                into.put(scratch, 0, n);
            }
            return n;
        }

        @Override
        public void write(ByteBuffer from) throws IOException {
            while (from.hasRemaining()) {
                int n = Math.min(scratch.length, from.remaining());
                from.get(scratch, 0, n);
                out.write(scratch, 0, n);
            }
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
