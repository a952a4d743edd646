package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.InvalidTagException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath.ManifestsRoot;
import dev.berth.storage.layout.StoragePath.TagCurrentLink;
import dev.berth.storage.layout.StoragePath.TagIndexLink;
import dev.berth.storage.layout.StoragePath.TagRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tags of a repository: each a link to the manifest it currently names. Thread-safe: state is in storage. */
public final class Tags {

    private final StorageDriver driver;
    private final Links links;

    Tags(StorageDriver driver) {
        this.driver = driver;
        this.links = new Links(driver);
    }

    /**
     * Every tag of the repository, sorted; {@link NameUnknownException} when it has no manifests. A repository
     * directory holding only blobs or uploads (which a rejected push may leave) is not a repository, and one whose
     * last tag was deleted while its manifests remain has an empty list (deleting prunes the empty tags folder).
     */
    public List<Tag> list(RepositoryName repository) {
        if (driver.stat(tagsKey(repository)).isEmpty()
                && driver.stat(Layout.key(new ManifestsRoot(repository)))
                .isEmpty()) {
            throw new NameUnknownException(repository);
        }
        return current(repository);
    }

    /** Every tag of the repository, sorted; empty when it has none or does not exist. */
    private List<Tag> current(RepositoryName repository) {
        List<Tag> tags = new ArrayList<>();
        for (String name : driver.list(tagsKey(repository))) {
            try {
                Tag tag = Tag.parse(name);
                if (resolve(repository, tag).isPresent()) {
                    tags.add(tag);
                }
            } catch (InvalidTagException e) {
                // not a tag directory: nothing Berth or distribution wrote
            }
        }
        tags.sort(null);
        return tags;
    }

    private static String tagsKey(RepositoryName repository) {
        return Layout.key(new dev.berth.storage.layout.StoragePath.Tags(repository));
    }

    public Optional<Digest> resolve(RepositoryName repository, Tag tag) {
        return links.read(new TagCurrentLink(repository, tag));
    }

    /** Points the tag at a manifest; the current link is written last, so a crash leaves the old target. */
    void tag(RepositoryName repository, Tag tag, Digest digest) {
        links.write(new TagIndexLink(repository, tag, digest), digest);
        links.write(new TagCurrentLink(repository, tag), digest);
    }

    /** Removes the tag; the manifest it named stays. False when there was no such tag. */
    boolean untag(RepositoryName repository, Tag tag) {
        if (resolve(repository, tag).isEmpty()) {
            return false;
        }
        driver.delete(Layout.key(new TagRoot(repository, tag)));
        return true;
    }

    /** Tags that currently point at {@code digest}. */
    List<Tag> pointingAt(RepositoryName repository, Digest digest) {
        return current(repository).stream()
                .filter(tag -> resolve(repository, tag).filter(digest::equals).isPresent())
                .toList();
    }
}
