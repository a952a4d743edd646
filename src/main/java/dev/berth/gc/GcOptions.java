package dev.berth.gc;

import java.time.Duration;

/**
 * How a collection runs.
 *
 * @param dryRun         report what would be deleted, delete nothing
 * @param deleteUntagged also delete manifests no tag reaches (distribution's {@code --delete-untagged})
 * @param grace          nothing claimed or written this recently before the collection began is deleted
 * @param workers        threads that read and delete at once ({@link Workers})
 */
public record GcOptions(boolean dryRun, boolean deleteUntagged, Duration grace, int workers) {

    public GcOptions {
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("the grace period must not be negative: " + grace);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("a collection needs at least one worker: " + workers);
        }
    }

    /** Sweeping on the calling thread alone. */
    public GcOptions(boolean dryRun, boolean deleteUntagged, Duration grace) {
        this(dryRun, deleteUntagged, grace, 1);
    }
}
