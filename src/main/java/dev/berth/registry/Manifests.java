package dev.berth.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.Manifest;
import dev.berth.oci.ManifestParser;
import dev.berth.oci.Reference;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.storage.AtOnce;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath.BlobData;
import dev.berth.storage.layout.StoragePath.ManifestRevisionLink;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Manifests of a repository. A manifest is stored as a blob (its exact bytes), made part of the repository
 * by a revision link, and named by tags. A push writes the bytes, then the revision link, then the tags, so
 * a crash at any point leaves no tag naming a missing manifest. Before and after linking, a push claims and
 * verifies what the manifest references, so the garbage collector cannot take it from under the push
 * (docs/garbage-collection.md). Thread-safe: state is in storage.
 */
public final class Manifests {

    /** The largest manifest accepted, as distribution. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private final StorageDriver driver;
    private final Links links;
    private final Blobs blobs;
    private final Tags tags;
    private final ManifestRules rules;
    private final boolean deleteEnabled;
    private final AtOnce atOnce;
    /**
     * Stored manifests by digest, with the media type they are served with: both are functions of the digest, so
     * never stale. Whether a repository has the manifest is still asked of the storage (its revision link) on
     * every read. Weighed in bytes of heap: the content, and about 400 for the entry itself (its digest twice,
     * media type and the cache's node), which outweighs a small manifest: 140,000 indexes of 116 bytes each, counted
     * by their content alone, filled the launcher's 64 MiB heap. With the other caches (tags, links, referrers:
     * 4 MiB each) they take a third of that heap at most.
     */
    private final Cache<Digest, ManifestContent> stored = Caffeine.newBuilder()
            .maximumWeight(8L << 20)
            .weigher((Digest digest, ManifestContent content) -> 400 + content.size())
            .build();

    Manifests(StorageDriver driver, Blobs blobs, Tags tags, ManifestRules rules, boolean deleteEnabled) {
        this.driver = driver;
        this.links = new Links(driver);
        this.blobs = blobs;
        this.tags = tags;
        this.rules = rules;
        this.deleteEnabled = deleteEnabled;
        this.atOnce = new AtOnce(driver);
    }

    /**
     * Validates and stores a manifest under {@code reference}, and also under {@code extraTags} (the
     * {@code ?tag=} parameters of a push by digest).
     */
    public PushedManifest put(RepositoryName repository, Reference reference, byte[] body, String contentType,
                              List<Tag> extraTags) {
        if (body.length > MAX_BYTES) {
            throw new ManifestTooLargeException(MAX_BYTES);
        }
        DigestAlgorithm algorithm = reference instanceof Digest d ? d.algorithm() : DigestAlgorithm.SHA256;
        Digest digest = Digest.of(algorithm, algorithm.newMessageDigest().digest(body));
        if (reference instanceof Digest expected && !expected.equals(digest)) {
            throw new DigestMismatchException(expected, digest);
        }
        Manifest manifest = ManifestParser.parse(body, contentType);
        if (!claimAndVerify(repository, digest, manifest)) {
            driver.putContent(Layout.key(new BlobData(digest)), body);
        }
        ManifestRevisionLink revision = new ManifestRevisionLink(repository, digest);
        links.write(revision, digest);
        // once more, now that the manifest is linked: a collection that began after the first claims had aged
        // past its grace period may have deleted a reference meanwhile. Then the manifest must not stay, let
        // alone be tagged
        boolean stored;
        try {
            stored = claimAndVerify(repository, digest, manifest);
        } catch (ManifestBlobUnknownException e) {
            driver.delete(Layout.key(revision));
            throw e;
        }
        // the manifest's own bytes too: a collection that began before the link could be seen may have deleted
        // them as unreferenced. Claimed again just now and linked, they are safe from any collection once back
        if (!stored) {
            driver.putContent(Layout.key(new BlobData(digest)), body);
        }
        List<Tag> tagged = reference instanceof Tag tag
                ? Stream.concat(Stream.of(tag), extraTags.stream()).toList()
                : extraTags;
        tags.tag(repository, tagged, digest);
        return new PushedManifest(digest, ManifestParser.storedMediaType(body),
                manifest.subject().map(Descriptor::digest));
    }

    public ManifestContent get(RepositoryName repository, Reference reference) {
        Digest digest = resolve(repository, reference);
        if (!links.exists(new ManifestRevisionLink(repository, digest))) {
            throw new ManifestUnknownException(reference.toString());
        }
        // a second read when the first misses: stored() puts back content the collector has set aside
        ManifestContent content = stored.getIfPresent(digest);
        if (content == null) {
            byte[] bytes = content(digest).or(() -> blobs.stored(digest).flatMap(present -> content(digest)))
                    .orElseThrow(() -> new ManifestUnknownException(reference.toString()));
            content = new ManifestContent(digest, ManifestParser.storedMediaType(bytes), bytes);
            stored.put(digest, content);
        }
        return content;
    }

    private Optional<byte[]> content(Digest digest) {
        try {
            return Optional.of(driver.getContent(Layout.key(new BlobData(digest))));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * As {@link #get}, for a client asking whether it still has to push the manifest (a HEAD by digest): the
     * manifest is claimed first, so an index pushed on the strength of a yes finds it still there.
     */
    public ManifestContent check(RepositoryName repository, Reference reference) {
        if (reference instanceof Digest digest) {
            // the usual answer before a push is no, and it needs no claim and no second look
            if (!links.existsExpectingNot(new ManifestRevisionLink(repository, digest))) {
                throw new ManifestUnknownException(digest.toString());
            }
            blobs.claim(digest);
        }
        return get(repository, reference);
    }

    /**
     * Deletes a tag (the manifest stays), or a manifest by digest together with the tags naming it, as
     * distribution does. Returns the tags deleted.
     */
    public List<Tag> delete(RepositoryName repository, Reference reference) {
        if (!deleteEnabled) {
            throw new DeleteDisabledException();
        }
        return switch (reference) {
            case Tag tag -> {
                if (!tags.untag(repository, tag)) {
                    throw new ManifestUnknownException(tag.value());
                }
                yield List.of(tag);
            }
            case Digest digest -> {
                ManifestRevisionLink link = new ManifestRevisionLink(repository, digest);
                if (!links.exists(link)) {
                    throw new ManifestUnknownException(digest.toString());
                }
                List<Tag> untagged = tags.pointingAt(repository, digest).stream()
                        .filter(tag -> tags.untag(repository, tag)).toList();
                driver.delete(Layout.key(link));
                yield untagged;
            }
        };
    }

    private Digest resolve(RepositoryName repository, Reference reference) {
        return switch (reference) {
            case Digest digest -> digest;
            case Tag tag -> tags.resolve(repository, tag)
                    .orElseThrow(() -> new ManifestUnknownException(tag.value()));
        };
    }

    /**
     * Claims the manifest and what it requires, then checks that what it requires is all there, so the collector keeps
     * it; whether the manifest's own content is stored, looked at with them. On remote storage the claims are made at
     * once, and so are the looks once every claim is made.
     */
    private boolean claimAndVerify(RepositoryName repository, Digest digest, Manifest manifest) {
        List<Digest> claimed = Stream.concat(Stream.of(digest), required(manifest).map(Descriptor::digest)).toList();
        atOnce.run(claimed.stream().<Runnable>map(blob -> () -> blobs.claim(blob)).toList());
        try {
            return verifyReferences(repository, digest, manifest);
        } catch (RegistryException e) {
            blobs.releaseMissing(claimed);
            throw e;
        }
    }

    /** What must be in the repository before the manifest is accepted: children, config, layers held here. */
    private static Stream<Descriptor> required(Manifest manifest) {
        return Stream.of(manifest.manifests().stream(), manifest.config().stream(), layersHeld(manifest))
                .flatMap(descriptors -> descriptors);
    }

    /** The layers but the foreign ones, which are fetched from their URLs. */
    private static Stream<Descriptor> layersHeld(Manifest manifest) {
        return manifest.layers().stream().filter(layer -> layer.urls().isEmpty());
    }

    private boolean verifyReferences(RepositoryName repository, Digest digest, Manifest manifest) {
        for (Descriptor layer : manifest.layers()) {
            for (String url : layer.urls()) {
                if (!rules.allows(url)) {
                    throw new ManifestRejectedException("layer URL not allowed by validation.manifests.urls: " + url);
                }
            }
        }
        // each child's revision link and content (on local storage the link first, so that a missing one spares the
        // look at the content)
        Stream<Runnable> children = manifest.manifests().stream().map(Descriptor::digest).flatMap(child -> Stream.of(
                () -> require(child, links.exists(new ManifestRevisionLink(repository, child))),
                () -> require(child, blobs.stored(child).isPresent())));
        Stream<Runnable> blobsHeld = Stream.concat(manifest.config().stream(), layersHeld(manifest))
                .map(Descriptor::digest).map(blob -> () -> {
                    try {
                        blobs.stat(repository, blob);
                    } catch (BlobUnknownException e) {
                        throw new ManifestBlobUnknownException(blob);
                    }
                });
        AtomicBoolean stored = new AtomicBoolean();
        atOnce.run(Stream.concat(Stream.concat(children, blobsHeld),
                Stream.of(() -> stored.set(blobs.storedExpectingNot(digest)))).toList());
        return stored.get();
    }

    private static void require(Digest digest, boolean present) {
        if (!present) {
            throw new ManifestBlobUnknownException(digest);
        }
    }
}
