package dev.berth.gc;

import java.time.Duration;
import java.util.Locale;

/**
 * What a collection did (or, in a dry run, would do).
 *
 * @param blobsMarked      blobs found in use
 * @param blobsDeleted     blobs deleted
 * @param bytesFreed       their total size
 * @param manifestsDeleted untagged manifests deleted from repositories
 * @param linksDeleted     layer links deleted because their blob is gone
 */
public record GcReport(long blobsMarked, long blobsDeleted, long bytesFreed, long manifestsDeleted,
                       long linksDeleted, boolean dryRun, Duration duration) {

    /** One line for people: counts, bytes freed and how long it took. */
    public String summary() {
        return String.format(Locale.ROOT, "%s%d blobs marked, %d blobs (%d bytes, %s) and %d manifests %s,"
                        + " %d layer links %s (%.1f s)", dryRun ? "dry run: " : "", blobsMarked, blobsDeleted,
                bytesFreed, human(bytesFreed), manifestsDeleted, dryRun ? "eligible for deletion" : "deleted",
                linksDeleted, dryRun ? "to remove" : "removed", duration.toMillis() / 1000.0);
    }

    private static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }
}
