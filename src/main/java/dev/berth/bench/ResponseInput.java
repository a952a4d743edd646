package dev.berth.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The responses an {@link HttpConnection} reads, from its wire through a small direct buffer of their own: heads,
 * small bodies copied out, large ones put into the caller's buffer, by length or chunked. Not thread-safe.
 */
final class ResponseInput {

    /** Headers and small bodies are never larger than this; a registry's JSON answers are far smaller. */
    private static final int MAX_SMALL_BODY = 16 * 1024 * 1024;
    private static final int MAX_HEAD = 64 * 1024;

    private final ByteBuffer in;
    /** Told each time bytes arrive, so that a connection that still moves is not taken for a stalled one. */
    private final Runnable moved;
    // a response's head, grown to MAX_HEAD for the rare one longer than a usual head
    private byte[] headBytes = new byte[4096];
    private Wire wire;
    private long bytesIn;

    ResponseInput(int capacity, Runnable moved) {
        this.in = ByteBuffer.allocateDirect(capacity).flip();
        this.moved = moved;
    }

    /** Reads from a new connection's wire from now on, with nothing of the last one's left. */
    void attach(Wire wire) {
        this.wire = wire;
        in.clear().flip();
    }

    /** Every byte read so far, on this wire and those before it. */
    long bytesIn() {
        return bytesIn;
    }

    /** The response's head up to the blank line that ends it, read from the buffer a fill at a time. */
    String readHead() throws IOException {
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
        moved.run();
    }

    /** Reads {@code length} bytes of a body that will be {@code total} bytes long once read. */
    byte[] readSmall(long total, long length) throws IOException {
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
    void readInto(ByteBuffer target, long length) throws IOException {
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
    long readChunked(ChunkReader chunk) throws IOException {
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

    interface ChunkReader {
        void read(long size) throws IOException;
    }

    static long number(String text, int radix, String what) throws IOException {
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
}
