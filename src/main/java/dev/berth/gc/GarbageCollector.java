package dev.berth.gc;

import dev.berth.registry.Claims;
import dev.berth.registry.Quarantines;
import dev.berth.registry.Registry;
import dev.berth.storage.StorageDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Mark and sweep over the storage layout, safe to run while registries serve the same storage: it deletes only
 * what nobody has used since its cutoff, and coordinates with them through the storage itself
 * (docs/garbage-collection.md). With a grace period of zero and the registry stopped it deletes what
 * distribution's {@code registry garbage-collect} deletes, except that it keeps the children of tagged indexes and
 * the referrers of manifests in use. Thread-safe: each call works on its own state.
 */
public final class GarbageCollector {

    private final StorageDriver driver;
    private final Registry registry;

    public GarbageCollector(StorageDriver driver, Registry registry) {
        this.driver = driver;
        this.registry = registry;
    }

    public GcReport collect(GcOptions options, GcListener listener) {
        long started = System.nanoTime();
        GcListener heard = GcListener.oneAtATime(listener);
        Workers workers = new Workers(options.workers());
        // read before anything is listed, so whatever the mark misses is younger than this
        Instant now = new StorageClock(driver).now();
        Quarantines quarantines = new Quarantines(driver);
        Inventory inventory = Inventory.take(driver, registry, quarantines, workers, heard,
                options.deleteUntagged());
        Cutoff cutoff = new Cutoff(now.minus(options.grace()), new Claims(driver), inventory);
        Marks marks = Marks.of(inventory, options, cutoff);
        Sweep sweep = new Sweep(driver, quarantines, cutoff, options, workers, UUID.randomUUID().toString(), heard);
        sweep.untaggedManifests(inventory, marks);
        sweep.blobs(marks);
        sweep.layerLinks(inventory);
        return sweep.report(marks.blobCount(), Duration.ofNanos(System.nanoTime() - started));
    }
}
