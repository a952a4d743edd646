package dev.berth.gc;

import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.InvalidManifestException;
import dev.berth.oci.ManifestReferences;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.registry.Catalog;
import dev.berth.registry.Quarantines;
import dev.berth.registry.Registry;
import dev.berth.storage.FileInfo;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath;
import dev.berth.storage.layout.StoragePath.BlobData;
import dev.berth.storage.layout.StoragePath.LayerLink;
import dev.berth.storage.layout.StoragePath.LayerLinks;
import dev.berth.storage.layout.StoragePath.ManifestRevisionLink;
import dev.berth.storage.layout.StoragePath.ManifestRevisions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * Everything the mark phase needs, read from storage once: every repository's revisions, tags and layer links,
 * and what every manifest references. Read by the collection's {@link Workers}, a repository each; thread-safe.
 */
final class Inventory {

    private final StorageDriver driver;
    private final Quarantines quarantines;
    private final List<RepositoryContents> repositories = new ArrayList<>();
    private final Map<Digest, Optional<ManifestReferences>> manifests = new ConcurrentHashMap<>();
    /** For each digest, the manifests that reference it and, for a referrer, its subject: whatever keeps it alive. */
    private final Map<Digest, Set<Digest>> keepers = new ConcurrentHashMap<>();

    private Inventory(StorageDriver driver, Quarantines quarantines) {
        this.driver = driver;
        this.quarantines = quarantines;
    }

    /**
     * @param tagsDecide whether tags choose what is kept ({@code deleteUntagged}); without that, every revision is
     *                   kept, and a tag link that names no digest changes nothing
     */
    static Inventory take(StorageDriver driver, Registry registry, Quarantines quarantines, Workers workers,
                          GcListener listener, boolean tagsDecide) {
        Inventory inventory = new Inventory(driver, quarantines);
        Catalog.Directories directories = registry.catalog().directories();
        if (!directories.unnamed().isEmpty()) {
            throw new UnreadableRepositoryException(directories.unnamed());
        }
        AtomicLong done = new AtomicLong();
        inventory.repositories.addAll(workers.map(directories.repositories(), repository -> {
            RepositoryContents contents = new RepositoryContents(repository,
                    inventory.links(repository, ManifestRevisions::new, ManifestRevisionLink::new),
                    inventory.tags(registry, repository, tagsDecide),
                    inventory.links(repository, LayerLinks::new, LayerLink::new));
            contents.revisions().keySet().forEach(inventory::references);
            listener.progress("mark", done.incrementAndGet());
            return contents;
        }));
        return inventory;
    }

    List<RepositoryContents> repositories() {
        return repositories;
    }

    /**
     * What a manifest references, read once; empty when its content is gone (a revision left dangling).
     * {@link UnreadableManifestException} when it cannot be read: collecting anyway could delete what it uses.
     */
    Optional<ManifestReferences> references(Digest manifest) {
        Optional<ManifestReferences> known = manifests.get(manifest);
        if (known != null) {
            return known;
        }
        Optional<ManifestReferences> read;
        try {
            read = Optional.of(ManifestReferences.of(driver.getContent(Layout.key(new BlobData(manifest)))));
        } catch (NotFoundException e) {
            read = Optional.empty();
        } catch (InvalidManifestException e) {
            throw new UnreadableManifestException(manifest, e.getMessage());
        }
        if (manifests.putIfAbsent(manifest, read) != null) {
            return read; // read by another worker meanwhile, which noted its keepers
        }
        read.ifPresent(refs -> {
            refs.blobs().forEach(blob -> keeper(blob, manifest));
            refs.manifests().forEach(child -> keeper(child, manifest));
            refs.subject().ifPresent(subject -> keeper(manifest, subject));
        });
        return read;
    }

    /** {@code digest} and everything whose life keeps it alive, transitively, as far as this inventory knows. */
    Set<Digest> withKeepers(Digest digest) {
        Set<Digest> seen = new HashSet<>();
        List<Digest> pending = new ArrayList<>(List.of(digest));
        while (!pending.isEmpty()) {
            Digest next = pending.removeLast();
            if (seen.add(next)) {
                pending.addAll(keepers.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    private void keeper(Digest kept, Digest by) {
        keepers.computeIfAbsent(kept, d -> ConcurrentHashMap.newKeySet()).add(by);
    }

    /**
     * The link files of one kind in a repository, by digest, with when each was last written. A link a crashed
     * collection left in quarantine is put back first: it may be in use.
     */
    private Map<Digest, Instant> links(RepositoryName repository,
                                       BiFunction<RepositoryName, DigestAlgorithm, StoragePath> directory,
                                       BiFunction<RepositoryName, Digest, StoragePath> link) {
        Map<Digest, Instant> found = new HashMap<>();
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            for (String encoded : driver.list(Layout.key(directory.apply(repository, algorithm)))) {
                // a name no digest has is not a link directory Berth or distribution wrote
                Digest.named(algorithm, encoded).ifPresent(digest -> {
                    StoragePath file = link.apply(repository, digest);
                    Optional<FileInfo> info = driver.stat(Layout.key(file));
                    if (info.isEmpty() && quarantines.restore(file)) {
                        info = driver.stat(Layout.key(file));
                    }
                    info.ifPresent(written -> found.put(digest, written.modified()));
                });
            }
        }
        return found;
    }

    /**
     * The tags and what they name. A tag folder without its link (being written or deleted, or left so by a crash)
     * names nothing; a link that is there but names no digest stops the collection where tags decide, as
     * distribution's does with {@code --delete-untagged} (without it, distribution does not read tags at all).
     */
    private Map<Tag, Digest> tags(Registry registry, RepositoryName repository, boolean tagsDecide) {
        Map<Tag, Digest> tags = new HashMap<>();
        for (Tag tag : registry.tags().folders(repository)) {
            Optional<Digest> digest = registry.tags().resolve(repository, tag);
            if (digest.isPresent()) {
                tags.put(tag, digest.get());
            } else if (tagsDecide && registry.tags().damaged(repository, tag)) {
                // read again, not looked at: a tag deleted and pushed again since the first read is no damage
                throw new UnreadableTagException(repository, tag);
            }
        }
        return tags;
    }
}
