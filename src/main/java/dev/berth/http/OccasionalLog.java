package dev.berth.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A warning that clients can cause as often as they like, written at most once a minute with a count of the
 * occurrences it passed over, so that no client can flood the log with it. Thread-safe.
 */
public final class OccasionalLog {

    private static final long QUIET_NANOS = 60_000_000_000L;

    private final AtomicLong nextLog = new AtomicLong(System.nanoTime());
    private final AtomicInteger unlogged = new AtomicInteger();

    /** Calls {@code log} with the suffix to end its line with, unless a line was written within the minute. */
    public void occurred(Consumer<String> log) {
        long now = System.nanoTime();
        long next = nextLog.get();
        if (now - next < 0 || !nextLog.compareAndSet(next, now + QUIET_NANOS)) {
            unlogged.incrementAndGet();
            return;
        }
        int others = unlogged.getAndSet(0);
        log.accept(others == 0 ? "" : " (" + others + " more since the last such line)");
    }
}
