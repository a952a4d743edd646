package dev.berth.config;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code berth.gc}: garbage collection inside the running server, a section distribution does not have.
 *
 * @param interval       {@code berth.gc.interval}: how often to collect; empty (the default, or 0) for never
 * @param grace          {@code berth.gc.grace}: keep whatever was used this recently (default 1h)
 * @param deleteUntagged {@code berth.gc.deleteuntagged}: also delete manifests no tag reaches (default false)
 */
public record GcSettings(Optional<Duration> interval, Duration grace, boolean deleteUntagged) {

    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);
}
