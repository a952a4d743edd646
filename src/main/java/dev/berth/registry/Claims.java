package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.storage.FileInfo;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath.BlobClaim;
import dev.berth.storage.layout.StoragePath.BlobData;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Claims on blobs, the writers' half of online garbage collection (docs/garbage-collection.md). A request claims a
 * blob before it relies on it (answers that it exists, links it, accepts a manifest that references it), and only
 * then checks that it is there; the collector deletes nothing claimed since its cutoff, and checks for claims again
 * after it has set a blob aside. Thread-safe: a claim is one storage write.
 */
public final class Claims {

    private final StorageDriver driver;

    public Claims(StorageDriver driver) {
        this.driver = driver;
    }

    /**
     * Not made durable: a claim matters only while the request that relies on it runs, and one lost in a crash
     * of the machine at most makes a push that follows it fail cleanly, as a push slower than the grace period
     * would (docs/garbage-collection.md).
     */
    public void claim(Digest digest) {
        driver.touch(Layout.key(new BlobClaim(digest)));
    }

    public void release(Digest digest) {
        driver.delete(Layout.key(new BlobClaim(digest)));
    }

    /** When the blob was last claimed or written, in the storage's clock; empty when neither ever happened. */
    public Optional<Instant> lastUsed(Digest digest) {
        return Stream.of(new BlobClaim(digest), new BlobData(digest))
                .flatMap(path -> driver.stat(Layout.key(path)).stream())
                .map(FileInfo::modified)
                .max(Instant::compareTo);
    }
}
