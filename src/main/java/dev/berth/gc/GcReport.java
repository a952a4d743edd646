package dev.berth.gc;

import java.time.Duration;

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
}
