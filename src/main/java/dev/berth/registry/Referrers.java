package dev.berth.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.InvalidValueException;
import dev.berth.oci.Manifest;
import dev.berth.oci.ManifestParser;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.AtOnce;
import dev.berth.storage.ChildrenHolding;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath.BlobData;
import dev.berth.storage.layout.StoragePath.ManifestRevisionLink;
import dev.berth.storage.layout.StoragePath.ManifestRevisions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The OCI 1.1 referrers of a manifest: the repository's manifests whose {@code subject} names it. They are
 * found from the manifests themselves, so there is no second index to keep consistent, and data pushed by
 * another registry into the same layout is covered too.
 */
public final class Referrers {

    /**
     * What each manifest read says about it as a referrer, by its digest: a function of its bytes, so never
     * stale. Which manifests a repository has is still asked of the storage (their revision links) every time;
     * only the read and parse of each (a listing otherwise reads every manifest of the repository) is saved.
     * Weighed in rough bytes of heap.
     */
    private final Cache<Digest, Optional<Referrer>> referrerOf = Caffeine.newBuilder()
            .maximumWeight(4L << 20)
            .weigher((Digest digest, Optional<Referrer> referrer) -> referrer.map(Referrer::weight).orElse(250))
            .build();

    private final StorageDriver driver;
    private final Links links;
    private final AtOnce atOnce;

    /** A manifest with a subject, and how a listing describes it. */
    private record Referrer(Digest subject, Descriptor descriptor) {

        /** Every text the descriptor holds counts: a pushed artifactType of megabytes once weighed nothing. */
        int weight() {
            return 400 + 2 * (descriptor.mediaType().length() + descriptor.artifactType().map(String::length).orElse(0)
                    + descriptor.urls().stream().mapToInt(String::length).sum())
                    + descriptor.annotations().entrySet().stream()
                            .mapToInt(e -> 2 * (e.getKey().length() + e.getValue().length())).sum();
        }
    }

    Referrers(StorageDriver driver) {
        this.driver = driver;
        this.links = new Links(driver);
        this.atOnce = new AtOnce(driver);
    }

    /** Descriptors of the referrers, sorted by digest; only those of {@code artifactType} when given. */
    public List<Descriptor> list(RepositoryName repository, Digest subject, Optional<String> artifactType) {
        // on remote storage each listing, look and read is a round trip: they go at once (the looks in listHolding)
        List<Digest> manifests = atOnce.map(List.of(DigestAlgorithm.values()), algorithm -> revisions(repository,
                algorithm)).stream().flatMap(List::stream).toList();
        return atOnce.map(manifests, digest -> referrer(digest, subject)).stream()
                .flatMap(Optional::stream)
                .filter(d -> artifactType.isEmpty() || artifactType.equals(d.artifactType()))
                .sorted(Comparator.comparing(d -> d.digest().toString())).toList();
    }

    /**
     * The manifests of the repository whose digests are of {@code algorithm}: the revisions holding their link, looked
     * at from the directory that lists them, and those whose link a collection has set aside, which a look at it
     * puts back ({@link Links#exists}).
     */
    private List<Digest> revisions(RepositoryName repository, DigestAlgorithm algorithm) {
        ChildrenHolding revisions = driver.listHolding(Layout.key(new ManifestRevisions(repository, algorithm)),
                Layout.LINK);
        List<Digest> digests = new ArrayList<>();
        revisions.holding().forEach(encoded -> Digest.named(algorithm, encoded).ifPresent(digests::add));
        revisions.lacking().forEach(encoded -> Digest.named(algorithm, encoded)
                .filter(digest -> links.exists(new ManifestRevisionLink(repository, digest))).ifPresent(digests::add));
        return digests;
    }

    private Optional<Descriptor> referrer(Digest digest, Digest subject) {
        try {
            return referrerOf.get(digest, this::read).filter(r -> r.subject().equals(subject))
                    .map(Referrer::descriptor);
        } catch (InvalidValueException | NotFoundException e) {
            // not a manifest Berth can read (or a dangling revision): it refers to nothing
            return Optional.empty();
        }
    }

    /** Reads a manifest; what fails to read is not kept, as the blob may yet be pushed. */
    private Optional<Referrer> read(Digest digest) {
        byte[] bytes = driver.getContent(Layout.key(new BlobData(digest)));
        Manifest manifest = ManifestParser.parse(bytes);
        return manifest.subject().map(s -> new Referrer(s.digest(), new Descriptor(manifest.mediaType(), digest,
                bytes.length, List.of(), manifest.annotations(), manifest.effectiveArtifactType())));
    }
}
