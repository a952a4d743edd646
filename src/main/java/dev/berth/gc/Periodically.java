package dev.berth.gc;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a maintenance task on its own virtual thread, first after {@code delay} and then every {@code interval},
 * until closed. A failed run is logged and the next comes at its time. Thread-safe.
 */
public final class Periodically implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Periodically.class);

    private final String name;
    private final Duration delay;
    private final Duration interval;
    private final Runnable task;
    private final Thread thread;
    private volatile boolean closed;

    public Periodically(String name, Duration delay, Duration interval, Runnable task) {
        this.name = name;
        this.delay = delay;
        this.interval = interval;
        this.task = task;
        this.thread = Thread.ofVirtual().name(name).unstarted(this::loop);
    }

    public void start() {
        LOG.info("{} every {}", name, interval);
        thread.start();
    }

    private void loop() {
        Duration wait = delay;
        while (!closed) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            wait = interval;
            try {
                task.run();
            } catch (RuntimeException e) {
                if (closed) {
                    // stopped midway, as by a crash: maintenance tasks are built to survive that
                    LOG.info("{} stopped by shutdown", name);
                    return;
                }
                LOG.error("{} failed; next attempt in {}", name, interval, e);
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
}
