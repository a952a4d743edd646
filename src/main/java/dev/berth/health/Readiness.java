package dev.berth.health;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether the registry can take pushes now: the storage probe, run when asked but at most once per
 * {@link #MAX_AGE}, so that a flood of probes cannot become a flood of writes. Thread-safe.
 */
public final class Readiness {

    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final HealthCheck probe;
    private long checkedAt;
    private Optional<String> failure = Optional.empty();
    private boolean checked;

    public Readiness(HealthCheck probe) {
        this.probe = probe;
    }

    /** Empty when ready; else what is wrong. */
    public synchronized Optional<String> failure() {
        long now = System.nanoTime();
        if (!checked || now - checkedAt >= MAX_AGE.toNanos()) {
            try {
                probe.check();
                failure = Optional.empty();
            } catch (Exception e) {
                failure = Optional.of(probe.name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
            checkedAt = now;
            checked = true;
        }
        return failure;
    }
}
