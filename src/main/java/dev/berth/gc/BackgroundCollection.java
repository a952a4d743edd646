package dev.berth.gc;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection inside the running server, on a schedule ({@link Periodically}) or on demand: one run at a
 * time, each logged. Thread-safe.
 */
public final class BackgroundCollection {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundCollection.class);

    private final GarbageCollector collector;
    private final GcOptions options;
    private final Consumer<GcReport> observer;
    private final ReentrantLock running = new ReentrantLock();

    /** @param observer told of every run's report (metrics count them) */
    public BackgroundCollection(GarbageCollector collector, GcOptions options, Consumer<GcReport> observer) {
        this.collector = collector;
        this.options = options;
        this.observer = observer;
    }

    /** Collects now, after the run in progress if there is one. */
    public GcReport collect() {
        running.lock();
        try {
            GcReport report = collector.collect(options, new GcListener() {
                @Override
                public void progress(String phase, long done) {
                }

                @Override
                public void deleted(Deletion deletion) {
                    LOG.debug("garbage collection deleted {}", deletion);
                }
            });
            LOG.info("garbage collection: {}", report.summary());
            observer.accept(report);
            return report;
        } finally {
            running.unlock();
        }
    }
}
