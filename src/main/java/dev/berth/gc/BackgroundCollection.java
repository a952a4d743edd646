package dev.berth.gc;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection inside the running server: every {@code interval} on its own virtual thread, and on demand.
 * Runs never overlap; a failed run is logged and the next one comes at its time. Thread-safe.
 */
public final class BackgroundCollection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundCollection.class);

    private final GarbageCollector collector;
    private final GcOptions options;
    private final Duration interval;
    private final ReentrantLock running = new ReentrantLock();
    private final Thread thread;
    private volatile boolean closed;

    public BackgroundCollection(GarbageCollector collector, GcOptions options, Duration interval) {
        this.collector = collector;
        this.options = options;
        this.interval = interval;
        this.thread = Thread.ofVirtual().name("garbage-collection").unstarted(this::loop);
    }

    public void start() {
        LOG.info("garbage collection every {}, grace period {}, {}", interval, options.grace(),
                options.deleteUntagged() ? "deleting untagged manifests" : "keeping untagged manifests");
        thread.start();
    }

    /** Collects now, after the run in progress if there is one. */
    public GcReport collect() {
        running.lock();
        try {
            GcReport report = collector.collect(options, new LoggingListener());
            LOG.info("garbage collection: {}", report.summary());
            return report;
        } finally {
            running.unlock();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            try {
                collect();
            } catch (RuntimeException e) {
                if (closed) {
                    // stopped midway, as by a crash: the protocol makes that safe
                    LOG.info("garbage collection stopped by shutdown");
                    return;
                }
                LOG.error("garbage collection failed; next attempt in {}", interval, e);
            }
        }
    }

    /** Stops the schedule, interrupting a run in progress. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join();
    }

    private static final class LoggingListener implements GcListener {
        @Override
        public void progress(String phase, long done) {
        }

        @Override
        public void deleted(Deletion deletion) {
            LOG.debug("garbage collection deleted {}", deletion);
        }
    }
}
