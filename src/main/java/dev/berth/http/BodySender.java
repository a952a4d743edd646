package dev.berth.http;

import dev.berth.api.ByteRange;
import dev.berth.api.MultipartByteRanges;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;

/**
 * Writes a response's body through Jetty, blocking until each write is sent, in buffers taken within
 * {@link SendBuffers}' budgets: a file through Jetty's pooled direct buffers on the request's (virtual) thread, a
 * stream through the heap on a platform thread of its own. The caller has set the status and the headers.
 */
final class BodySender {

    /**
     * How much of a blob is sent per write. From a file, 256 KiB to 4 MiB measured alike; 512 KiB is the middle. A
     * body streamed from storage without files (S3) is a pass through Jetty's sending path per write, which a fresh
     * server runs interpreted until the JIT compiles it: a fresh server's first pulls from S3 went faster in writes
     * of 512 KiB than of 256 (docs/performance-changes.md, change 51); writes of 1 MiB measured as fast or a little
     * faster but would leave half as many pulls at once their full buffer within {@link SendBuffers#HEAP}, and 2 MiB no
     * faster.
     */
    static final int SEND_BUFFER = 512 * 1024;

    /**
     * Where bodies streamed from storage without files (S3) are copied. Such a body is read from a socket, which a
     * pull waits on a few thousand times. A virtual thread that waits on a socket parks; its carrier looks for other
     * work and sleeps, and when bytes come the JDK's poller wakes a carrier to run the thread again (and with the S3
     * client's socket timeout, each wait also schedules a timer and cancels it). A platform thread waits in the system
     * call itself: a pull from S3 took a third less of the registry's CPU (docs/performance-changes.md, change 73).
     * There are as many threads as such pulls at once, which the S3 client's connections bound; an idle one ends after
     * a minute.
     */
    private static final ExecutorService STREAM_COPIERS = Executors.newCachedThreadPool(
            new NumberedThreads("body-copier-", () -> Thread.ofPlatform().daemon()));

    private BodySender() {
    }

    /**
     * Sends {@code length} bytes of a file from {@code offset} as the body. The file
     * is read into one of Jetty's pooled direct buffers and each buffer handed to Jetty as it is: no heap copy, and
     * the process does not grow with the blob. (Mapping the file a window at a time was measured too: half the
     * speed, about twice the CPU per gibibyte, for the page-table work of every window.)
     */
    static void file(Request request, Response response, FileChannel file, long offset, long length) {
        try (FileBody body = new FileBody(request, response, file, Math.clamp(length, 1, SEND_BUFFER))) {
            body.copy(offset, length);
            body.end();
        }
    }

    /**
     * Sends ranges of a file as a {@code multipart/byteranges} body, read as {@link #file} reads; the parts'
     * heads share the buffer with the bytes, so a few hundred small ranges go out in a few writes.
     */
    static void fileRanges(Request request, Response response, FileChannel file, MultipartByteRanges multipart) {
        try (FileBody body = new FileBody(request, response, file,
                (int) Math.min(multipart.contentLength(), SEND_BUFFER))) {
            List<ByteRange> ranges = multipart.ranges();
            for (int i = 0; i < ranges.size(); i++) {
                body.put(multipart.head(i));
                body.copy(ranges.get(i).first(), ranges.get(i).length());
            }
            body.put(multipart.closing());
            body.end();
        }
    }

    /**
     * A response body filled from a file through a pooled buffer, written each time the buffer is full; the buffer
     * is as large as {@link SendBuffers} grants.
     */
    private static final class FileBody implements AutoCloseable {
        private final Response response;
        private final FileChannel file;
        private final int reserved;
        private final RetainableByteBuffer.Mutable pooled;
        private final ByteBuffer buffer;

        FileBody(Request request, Response response, FileChannel file, int capacity) {
            this.response = response;
            this.file = file;
            this.reserved = SendBuffers.DIRECT.reserve(capacity);
            this.pooled = request.getComponents().getByteBufferPool().acquire(reserved, true);
            this.buffer = pooled.getByteBuffer();
            buffer.clear();
        }

        void put(byte[] bytes) {
            if (buffer.remaining() < bytes.length) {
                flush();
            }
            buffer.put(bytes);
        }

        void copy(long offset, long length) {
            long position = offset;
            long end = offset + length;
            try {
                while (position < end) {
                    if (!buffer.hasRemaining()) {
                        flush();
                    }
                    int limit = buffer.limit();
                    buffer.limit((int) Math.min(limit, buffer.position() + end - position));
                    int n = file.read(buffer, position);
                    buffer.limit(limit);
                    if (n < 0) {
                        throw new IOException("content ended " + (end - position) + " bytes early");
                    }
                    position += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes what the buffer holds as the end of the body. */
        void end() {
            buffer.flip();
            write(response, true, buffer);
        }

        private void flush() {
            buffer.flip();
            write(response, false, buffer);
            buffer.clear();
        }

        @Override
        public void close() {
            pooled.release();
            SendBuffers.DIRECT.release(reserved);
        }
    }

    /** Writes {@code content} as the next part of the body, or its end, once Jetty has sent it. */
    static void write(Response response, boolean last, ByteBuffer content) {
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(last, content, written);
            written.block();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Streams {@code length} bytes from {@code in} as the body, through a heap buffer, on one of
     * {@link #STREAM_COPIERS}' platform threads; the calling thread waits for the copy, whatever interrupts it, as
     * the response is the copy's until it ends.
     */
    static void stream(Response response, InputStream in, long length) {
        try {
            CompletableFuture.runAsync(() -> copy(response, in, length), STREAM_COPIERS).join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case RuntimeException failed -> throw failed;
                case Error failed -> throw failed;
                case null, default -> throw e;
            }
        }
    }

    private static void copy(Response response, InputStream in, long length) {
        int reserved = SendBuffers.HEAP.reserve((int) Math.min(SEND_BUFFER, length));
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            byte[] buffer = new byte[reserved];
            long remaining = length;
            while (remaining > 0) {
                int wanted = (int) Math.min(buffer.length, remaining);
                int n = in.readNBytes(buffer, 0, wanted);
                if (n < wanted) {
                    throw new IOException("content ended " + (remaining - n) + " bytes early");
                }
                out.write(buffer, 0, n);
                remaining -= n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            SendBuffers.HEAP.release(reserved);
        }
    }
}
