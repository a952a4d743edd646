package dev.berth.gc;

import java.time.Duration;

/**
 * How a collection runs.
 *
 * @param dryRun         report what would be deleted, delete nothing
 * @param deleteUntagged also delete manifests no tag reaches (distribution's {@code --delete-untagged})
 * @param grace          nothing claimed or written this recently before the collection began is deleted
 */
public record GcOptions(boolean dryRun, boolean deleteUntagged, Duration grace) {

    public GcOptions {
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("the grace period must not be negative: " + grace);
        }
    }
}
