package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath.BlobData;
import dev.berth.storage.layout.StoragePath.LayerLink;
import java.io.InputStream;
import java.util.Optional;

/**
 * Blobs as a repository sees them: content is stored once for the whole registry, and a repository may
 * serve it only while it holds a layer link to it. Thread-safe: all state is in storage.
 */
public final class Blobs {

    private final StorageDriver driver;
    private final Links links;
    private final boolean deleteEnabled;

    Blobs(StorageDriver driver, boolean deleteEnabled) {
        this.driver = driver;
        this.links = new Links(driver);
        this.deleteEnabled = deleteEnabled;
    }

    /** The blob if the repository links it and its content exists; else {@link BlobUnknownException}. */
    public BlobContent stat(RepositoryName repository, Digest digest) {
        if (!links.exists(new LayerLink(repository, digest))) {
            throw new BlobUnknownException(digest);
        }
        return stored(digest).orElseThrow(() -> new BlobUnknownException(digest));
    }

    /** The content from {@code offset}; call {@link #stat} first. The caller closes the stream. */
    public InputStream open(Digest digest, long offset) {
        return driver.reader(Layout.key(new BlobData(digest)), offset);
    }

    /** Removes the repository's link to the blob; the content stays for other repositories and for GC. */
    public void delete(RepositoryName repository, Digest digest) {
        if (!deleteEnabled) {
            throw new DeleteDisabledException();
        }
        stat(repository, digest);
        driver.delete(Layout.key(new LayerLink(repository, digest)));
    }

    /** The content stored under this digest, whichever repository put it there. */
    Optional<BlobContent> stored(Digest digest) {
        return driver.stat(Layout.key(new BlobData(digest)))
                .filter(info -> !info.directory())
                .map(info -> new BlobContent(digest, info.size()));
    }

    /** Makes stored content part of the repository. */
    void link(RepositoryName repository, Digest digest) {
        links.write(new LayerLink(repository, digest), digest);
    }

    boolean linked(RepositoryName repository, Digest digest) {
        return links.exists(new LayerLink(repository, digest)) && stored(digest).isPresent();
    }
}
