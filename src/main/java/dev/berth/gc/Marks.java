package dev.berth.gc;

import dev.berth.oci.Digest;
import dev.berth.oci.ManifestReferences;
import dev.berth.oci.RepositoryName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the mark phase found in use. Within each repository the roots are its tagged manifests and, with
 * {@code deleteUntagged}, its manifests younger than the cutoff, or else all its manifests; from them the mark
 * follows configs, layers, index children and referrers (a manifest whose subject is in use is in use, as the OCI
 * distribution spec advises). Manifests are marked per repository, blobs for the whole registry.
 */
final class Marks {

    private final Set<Digest> blobs = new HashSet<>();
    private final Map<RepositoryName, Set<Digest>> manifests = new HashMap<>();

    private Marks() {
    }

    static Marks of(Inventory inventory, GcOptions options, Cutoff cutoff) {
        Marks marks = new Marks();
        for (RepositoryContents repository : inventory.repositories()) {
            Map<Digest, List<Digest>> referrers = new HashMap<>();
            repository.revisions().keySet().forEach(revision -> inventory.references(revision)
                    .flatMap(ManifestReferences::subject)
                    .ifPresent(subject -> referrers.computeIfAbsent(subject, s -> new ArrayList<>()).add(revision)));
            List<Digest> pending = new ArrayList<>(repository.tags().values());
            repository.revisions().forEach((revision, linked) -> {
                if (!options.deleteUntagged() || cutoff.young(linked) || cutoff.protects(revision)) {
                    pending.add(revision);
                }
            });
            Set<Digest> inUse = marks.manifests.computeIfAbsent(repository.name(), r -> new HashSet<>());
            while (!pending.isEmpty()) {
                Digest manifest = pending.removeLast();
                if (!inUse.add(manifest)) {
                    continue;
                }
                marks.blobs.add(manifest);
                inventory.references(manifest).ifPresent(refs -> {
                    marks.blobs.addAll(refs.blobs());
                    pending.addAll(refs.manifests());
                });
                pending.addAll(referrers.getOrDefault(manifest, List.of()));
            }
        }
        return marks;
    }

    boolean blob(Digest digest) {
        return blobs.contains(digest);
    }

    boolean manifest(RepositoryName repository, Digest digest) {
        return manifests.getOrDefault(repository, Set.of()).contains(digest);
    }

    int blobCount() {
        return blobs.size();
    }
}
