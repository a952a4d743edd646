package dev.berth.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs checks, each on its own schedule on a virtual thread, and keeps what fails: a check is failing once it has
 * failed {@code threshold} times in a row, and passes again at its first success. Thread-safe.
 */
public final class HealthMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    /** A check with how often it runs and how many failures in a row make it fail. */
    public record Scheduled(HealthCheck check, Duration interval, int threshold) {
    }

    private final ConcurrentMap<String, String> failures = new ConcurrentHashMap<>();
    private final List<Thread> threads;

    /** Starts every check; the first run of each is immediate. */
    public HealthMonitor(List<Scheduled> checks) {
        threads = checks.stream().map(c -> Thread.ofVirtual().name("health-" + c.check().name())
                .start(() -> run(c))).toList();
    }

    /** What fails now: each failing check's name and its last error; empty when all is well. */
    public Map<String, String> failures() {
        return new TreeMap<>(failures);
    }

    private void run(Scheduled scheduled) {
        HealthCheck check = scheduled.check();
        int failedInARow = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                check.check();
                failedInARow = 0;
                if (failures.remove(check.name()) != null) {
                    LOG.info("health check {} passes again", check.name());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failedInARow++;
                if (failedInARow >= scheduled.threshold()) {
                    String message = e.getMessage() == null ? e.toString() : e.getMessage();
                    if (failures.put(check.name(), message) == null) {
                        LOG.warn("health check {} fails: {}", check.name(), message);
                    }
                }
            }
            try {
                Thread.sleep(scheduled.interval());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
    }
}
