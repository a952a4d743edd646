package dev.berth.config;

import java.time.Duration;

/**
 * {@code storage.maintenance.uploadpurging}, with distribution's defaults: uploads older than a week are deleted
 * once a day.
 *
 * @param enabled  {@code enabled} (default true)
 * @param age      {@code age}: uploads started longer ago are abandoned (default 168h)
 * @param interval {@code interval}: how often to look (default 24h)
 * @param dryRun   {@code dryrun}: only log what would be purged (default false)
 */
public record UploadPurging(boolean enabled, Duration age, Duration interval, boolean dryRun) {

    public static final UploadPurging DEFAULT = new UploadPurging(true, Duration.ofHours(168), Duration.ofHours(24),
            false);
}
