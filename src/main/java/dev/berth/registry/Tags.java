package dev.berth.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidTagException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.storage.ChildrenHolding;
import dev.berth.storage.FileInfo;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath;
import dev.berth.storage.layout.StoragePath.ManifestsRoot;
import dev.berth.storage.layout.StoragePath.TagCurrentLink;
import dev.berth.storage.layout.StoragePath.TagIndexLink;
import dev.berth.storage.layout.StoragePath.TagRoot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tags of a repository: each a link to the manifest it currently names. Thread-safe: state is in storage, and the
 * listings kept in memory are only served while the storage shows their directory unchanged.
 */
public final class Tags {

    /** The tags of a repository, and the version of its tags directory they were read from. */
    private record Listing(FileInfo directory, List<Tag> tags) {
    }

    /** What a scan of the tags directory found, and whether every tag folder in it held a current link. */
    private record Scan(List<Tag> tags, boolean complete) {
    }

    private final StorageDriver driver;
    private final Links links;
    private final Clock clock;
    /** Learned from the first directory stat: the storage's directories have no version (an object store). */
    private volatile boolean unversionedDirectories;
    /**
     * Listings by the bytes of heap their tags take, about 160 for each besides its name: a bound by count let 250
     * repositories of 1,000 long tags fill the launcher's 64 MiB heap.
     */
    private final Cache<RepositoryName, Listing> listings = Caffeine.newBuilder()
            .maximumWeight(4L << 20)
            .weigher((RepositoryName name, Listing listing) -> 200 + listing.tags().stream()
                    .mapToInt(tag -> 160 + tag.value().length()).sum())
            .build();

    Tags(StorageDriver driver, Clock clock) {
        this.driver = driver;
        this.links = new Links(driver);
        this.clock = clock;
    }

    /**
     * Every tag of the repository, sorted; {@link NameUnknownException} when it has no manifests. A repository
     * directory holding only blobs or uploads (which a rejected push may leave), or an emptied tags directory, is
     * not a repository, and one whose last tag was deleted while its manifests remain has an empty list.
     *
     * <p>A tag is listed while its current link is there (distribution lists every tag folder, with a link or not,
     * and a stray file too). Checking that costs a look per tag, so a repository's listing is kept and served again
     * for as long as its tags directory is the same unchanged directory: creating or deleting a tag creates or
     * removes a folder in it, which changes it; the listing read then looks only at the folders the kept one did not
     * list. A listing that found a tag folder without its link (a tag being written or deleted right then, or left so
     * by a crash) is never kept.
     */
    public List<Tag> list(RepositoryName repository) {
        List<Tag> tags = listed(repository);
        // a tag names a manifest, so only a repository without tags can be without manifests
        if (tags.isEmpty() && !Catalog.hasManifests(driver, Layout.key(new ManifestsRoot(repository)))) {
            throw new NameUnknownException(repository);
        }
        return tags;
    }

    private List<Tag> listed(RepositoryName repository) {
        if (unversionedDirectories) {
            return sortedFolders(repository);
        }
        Optional<FileInfo> directory = driver.stat(tagsKey(repository));
        if (directory.isEmpty()) {
            return List.of();
        }
        if (directory.get().identity() == null) {
            unversionedDirectories = true;
            return sortedFolders(repository);
        }
        Listing kept = listings.getIfPresent(repository);
        if (kept != null && kept.directory().sameVersionAs(directory.get())) {
            return kept.tags();
        }
        Scan scan = kept != null && kept.directory().sameFileAs(directory.get())
                ? rescan(repository, kept.tags()) : scan(repository);
        // only a settled directory: a change within the clock step of its file system could leave its time as it was
        if (scan.complete() && directory.get().settledBy(clock.instant())) {
            // kept only if nothing changed the directory while it was read
            driver.stat(tagsKey(repository)).filter(directory.get()::sameVersionAs)
                    .ifPresent(after -> listings.put(repository, new Listing(after, scan.tags())));
        }
        return scan.tags();
    }

    /**
     * The tag folders, as distribution lists them: for a storage whose directories have no version to keep a listing
     * by (an object store's prefixes), where reading every tag's link on every listing would cost a request per tag.
     */
    private List<Tag> sortedFolders(RepositoryName repository) {
        List<Tag> tags = new ArrayList<>(folders(repository));
        tags.sort(null);
        return List.copyOf(tags);
    }

    /**
     * Every tag of the repository as the storage holds it right now, never from a kept listing: what garbage
     * collection marks from. Empty when the repository has no tags or does not exist.
     */
    public List<Tag> listFromStorage(RepositoryName repository) {
        return folders(repository).stream().filter(tag -> resolve(repository, tag).isPresent()).sorted().toList();
    }

    /**
     * The tag of every tag folder, whether or not its link is there and names a manifest: what a collection must
     * account for. Unsorted.
     */
    public List<Tag> folders(RepositoryName repository) {
        return tagsNamed(driver.list(tagsKey(repository)));
    }

    /** The tags named, leaving out what is not a tag directory: nothing Berth or distribution wrote. */
    private static List<Tag> tagsNamed(List<String> names) {
        List<Tag> tags = new ArrayList<>();
        for (String name : names) {
            try {
                tags.add(Tag.parse(name));
            } catch (InvalidTagException e) {
                // not a tag's directory
            }
        }
        return tags;
    }

    private Scan scan(RepositoryName repository) {
        ChildrenHolding folders = driver.listHolding(tagsKey(repository), Layout.TAG_CURRENT_LINK);
        List<Tag> tags = tagsNamed(folders.holding());
        tags.sort(null);
        return new Scan(List.copyOf(tags), tagsNamed(folders.lacking()).isEmpty());
    }

    /**
     * A scan of a tags directory that changed since {@code known} was listed from it: a tag listed then is taken to
     * hold its link still, and only the other folders are looked at. A push adds one folder to thousands, and a
     * delete removes its whole folder, so the name goes with the link; only a link removed from a folder that stays
     * (which neither Berth nor distribution does; another process's crash during a delete could) stays listed until
     * a listing looks at every tag again (the server's first, or one whose kept listing was evicted), as distribution
     * lists such a folder always.
     */
    private Scan rescan(RepositoryName repository, List<Tag> known) {
        Set<Tag> folders = new HashSet<>(folders(repository));
        // the known tags still there, in the kept listing's order (sorted), then the folders added since
        List<Tag> tags = new ArrayList<>(folders.size());
        for (Tag tag : known) {
            if (folders.remove(tag)) {
                tags.add(tag);
            }
        }
        boolean complete = true;
        for (Tag tag : folders) {
            if (driver.statFile(Layout.key(new TagCurrentLink(repository, tag))).isPresent()) {
                tags.add(tag);
            } else {
                complete = false;
            }
        }
        // a sorted run and the few added after it: the sort merges them, not sorting the whole list again
        tags.sort(null);
        return new Scan(List.copyOf(tags), complete);
    }

    private static String tagsKey(RepositoryName repository) {
        return Layout.key(new dev.berth.storage.layout.StoragePath.Tags(repository));
    }

    public Optional<Digest> resolve(RepositoryName repository, Tag tag) {
        return links.read(new TagCurrentLink(repository, tag));
    }

    /** Whether the tag's link is there but names no digest (damaged, not merely being written or deleted). */
    public boolean damaged(RepositoryName repository, Tag tag) {
        return links.damaged(new TagCurrentLink(repository, tag));
    }

    /**
     * Points the tags at a manifest, which is linked already: each tag's current link and the entry in its history,
     * which are independent (nothing resolves a tag through its history, distribution neither), so they are written
     * as one write to storage (at once where it is remote, synced together on a file system). A crash before it ends
     * leaves each tag at its old target or its new one, and at worst a history without the entry, or with one the
     * tag never got to name.
     */
    void tag(RepositoryName repository, List<Tag> tags, Digest digest) {
        if (tags.isEmpty()) {
            return;
        }
        links.writeAll(tags.stream().<StoragePath>mapMulti((tag, each) -> {
            each.accept(new TagIndexLink(repository, tag, digest));
            each.accept(new TagCurrentLink(repository, tag));
        }).toList(), digest);
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
        return folders(repository).stream()
                .filter(tag -> resolve(repository, tag).filter(digest::equals).isPresent())
                .sorted()
                .toList();
    }
}
