package dev.berth.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.berth.http.AccessLog;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Log lines to stderr. Access lines, one per request, are buffered and written together within
 * {@link #FLUSH_INTERVAL} (as nginx's {@code access_log ... flush=}): a write system call per request cost a sixth
 * of the small-request throughput. Every other line is written at once, and writes out the access lines before it.
 */
final class StderrAppender extends OutputStreamAppender<ILoggingEvent> {

    static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);
    private static final int BUFFER_SIZE = 64 << 10;

    private final OutputStream target;
    private Thread flusher;

    StderrAppender() {
        this(new FileOutputStream(FileDescriptor.err));
    }

    /** Writes to {@code target} instead of stderr. */
    StderrAppender(OutputStream target) {
        this.target = target;
    }

    @Override
    public void start() {
        setOutputStream(new Buffer(target));
        setImmediateFlush(false);
        super.start();
        flusher = Thread.ofPlatform().daemon().name("log-flush").start(this::flushPeriodically);
    }

    @Override
    protected void subAppend(ILoggingEvent event) {
        super.subAppend(event);
        if (!AccessLog.LOGGER.equals(event.getLoggerName())) {
            flush();
        }
    }

    /** Writes out what is buffered. */
    private void flush() {
        try {
            getOutputStream().flush();
        } catch (IOException e) {
            addError("flushing the log failed", e);
        }
    }

    private void flushPeriodically() {
        try {
            while (isStarted()) {
                Thread.sleep(FLUSH_INTERVAL);
                flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Buffers, and leaves the target open when closed: stderr outlives each appender (one replaces another). */
    private static final class Buffer extends BufferedOutputStream {

        Buffer(OutputStream target) {
            super(target, BUFFER_SIZE);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.interrupt();
        }
        super.stop();
    }
}
