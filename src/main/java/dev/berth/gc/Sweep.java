package dev.berth.gc;

import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.InvalidDigestException;
import dev.berth.registry.Quarantines;
import dev.berth.storage.FileInfo;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath;
import dev.berth.storage.layout.StoragePath.BlobClaim;
import dev.berth.storage.layout.StoragePath.BlobData;
import dev.berth.storage.layout.StoragePath.BlobDirectory;
import dev.berth.storage.layout.StoragePath.BlobShard;
import dev.berth.storage.layout.StoragePath.BlobsRoot;
import dev.berth.storage.layout.StoragePath.LayerLink;
import dev.berth.storage.layout.StoragePath.ManifestRevisionLink;
import dev.berth.storage.layout.StoragePath.Quarantine;
import dev.berth.storage.layout.StoragePath.TagIndexLink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The sweep phase. Every deletion follows one protocol (docs/garbage-collection.md): the file is set aside in
 * quarantine, the collector checks again that nothing has claimed what it concerns, and only then deletes the
 * quarantined copy, or else puts it back. Each step splits its work among the collection's {@link Workers}, by
 * blob shard or by repository: a deletion touches one blob's or one repository's files only, so no two workers
 * share a file, and each is as safe against the others as against the registries' requests. One belongs to one
 * collection, which calls its steps one after another.
 */
final class Sweep {

    private static final Pattern SHARD = Pattern.compile("[0-9a-f]{2}");

    private final StorageDriver driver;
    private final Quarantines quarantines;
    private final Cutoff cutoff;
    private final GcOptions options;
    private final String run;
    private final GcListener listener;
    private final Workers workers;
    /** Blobs deleted, or in a dry run eligible: their layer links go too. */
    private final Set<Digest> gone = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong manifests = new AtomicLong();
    private final AtomicLong links = new AtomicLong();

    Sweep(StorageDriver driver, Quarantines quarantines, Cutoff cutoff, GcOptions options, Workers workers,
          String run, GcListener listener) {
        this.driver = driver;
        this.quarantines = quarantines;
        this.cutoff = cutoff;
        this.options = options;
        this.run = run;
        this.listener = listener;
        this.workers = workers;
    }

    /** With {@code deleteUntagged}: unlinks the manifests the mark did not reach from their repositories. */
    void untaggedManifests(Inventory inventory, Marks marks) {
        if (!options.deleteUntagged()) {
            return;
        }
        workers.forEach(inventory.repositories(), repository -> {
            repository.revisions().forEach((manifest, linked) -> {
                if (marks.manifest(repository.name(), manifest) || cutoff.young(linked) || cutoff.protects(manifest)) {
                    return;
                }
                if (options.dryRun() || remove(new ManifestRevisionLink(repository.name(), manifest),
                        () -> cutoff.protects(manifest))) {
                    if (!options.dryRun()) {
                        // the tags' histories may name it too; distribution removes those entries as well
                        repository.tags().keySet().forEach(tag -> driver.delete(
                                Layout.key(new TagIndexLink(repository.name(), tag, manifest))));
                    }
                    manifests.incrementAndGet();
                    listener.deleted(new Deletion.Manifest(repository.name(), manifest));
                }
            });
        });
    }

    /** Deletes the content of every blob the mark did not reach and nobody has claimed since the cutoff. */
    void blobs(Marks marks) {
        List<BlobShard> shards = new ArrayList<>();
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            for (String shard : driver.list(Layout.key(new BlobsRoot(algorithm)))) {
                if (SHARD.matcher(shard).matches()) {
                    shards.add(new BlobShard(algorithm, shard));
                }
            }
        }
        AtomicLong examined = new AtomicLong();
        workers.forEach(shards, shard -> {
            for (String encoded : driver.list(Layout.key(shard))) {
                try {
                    blob(new Digest(shard.algorithm(), encoded), marks);
                } catch (InvalidDigestException e) {
                    // not a blob directory Berth or distribution wrote
                }
                listener.progress("sweep", examined.incrementAndGet());
            }
        });
    }

    /** Deletes the layer links of deleted blobs, and links left dangling since before the cutoff. */
    void layerLinks(Inventory inventory) {
        workers.forEach(inventory.repositories(), repository -> {
            repository.layerLinks().forEach((blob, linked) -> {
                boolean dangling = !cutoff.young(linked) && !stored(blob);
                if (!gone.contains(blob) && !dangling) {
                    return;
                }
                if (options.dryRun() || remove(new LayerLink(repository.name(), blob),
                        () -> stored(blob) || cutoff.protects(blob))) {
                    links.incrementAndGet();
                }
            });
        });
    }

    GcReport report(long blobsMarked, Duration duration) {
        return new GcReport(blobsMarked, gone.size(), bytes.get(), manifests.get(), links.get(), options.dryRun(),
                duration);
    }

    private void blob(Digest digest, Marks marks) {
        BlobData data = new BlobData(digest);
        if (driver.list(Layout.key(new BlobDirectory(digest))).stream()
                .anyMatch(name -> Quarantine.named(data, name).isPresent())) {
            // left behind by a collection that crashed, or set aside by one running now: in use until shown not
            quarantines.restore(data);
        }
        Optional<FileInfo> content = driver.stat(Layout.key(data));
        if (content.isEmpty()) {
            if (!options.dryRun() && !cutoff.protects(digest)) {
                // a claim on a blob that never arrived
                driver.delete(Layout.key(new BlobClaim(digest)));
            }
            return;
        }
        if (marks.blob(digest) || cutoff.protects(digest)) {
            return;
        }
        if (options.dryRun() || remove(data, () -> cutoff.protects(digest))) {
            if (!options.dryRun()) {
                driver.delete(Layout.key(new BlobClaim(digest)));
            }
            gone.add(digest);
            bytes.addAndGet(content.get().size());
            listener.deleted(new Deletion.Blob(digest, content.get().size()));
        }
    }

    /**
     * Sets {@code file} aside, asks {@code stillNeeded} once more, then deletes the copy or puts it back. True
     * when the file is gone; false when it was kept, or a reader put it back before the copy was deleted.
     */
    private boolean remove(StoragePath file, BooleanSupplier stillNeeded) {
        if (!quarantines.setAside(file, run)) {
            return false;
        }
        if (stillNeeded.getAsBoolean()) {
            quarantines.restore(file);
            return false;
        }
        quarantines.discard(file, run);
        return driver.stat(Layout.key(file)).isEmpty();
    }

    private boolean stored(Digest blob) {
        return driver.stat(Layout.key(new BlobData(blob))).isPresent();
    }
}
