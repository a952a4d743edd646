package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.AtOnce;
import dev.berth.storage.FileInfo;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath.BlobData;
import dev.berth.storage.layout.StoragePath.LayerLink;
import java.net.URI;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Blobs as a repository sees them: content is stored once for the whole registry, and a repository may
 * serve it only while it holds a layer link to it. Thread-safe: all state is in storage.
 */
public final class Blobs {

    private final StorageDriver driver;
    private final Links links;
    private final Claims claims;
    private final Quarantines quarantines;
    private final boolean deleteEnabled;
    private final AtOnce atOnce;

    Blobs(StorageDriver driver, boolean deleteEnabled) {
        this.driver = driver;
        this.links = new Links(driver);
        this.claims = new Claims(driver);
        this.quarantines = new Quarantines(driver);
        this.deleteEnabled = deleteEnabled;
        this.atOnce = new AtOnce(driver);
    }

    /**
     * The blob if the repository links it and its content exists; else {@link BlobUnknownException}. On remote
     * storage both are looked at at once.
     */
    public BlobContent stat(RepositoryName repository, Digest digest) {
        AtomicReference<Optional<BlobContent>> content = new AtomicReference<>(Optional.empty());
        atOnce.run(List.of(() -> {
            if (!links.exists(new LayerLink(repository, digest))) {
                throw new BlobUnknownException(digest);
            }
        }, () -> content.set(stored(digest))));
        return content.get().orElseThrow(() -> new BlobUnknownException(digest));
    }

    /**
     * As {@link #stat}, for a client asking whether it still has to push the blob: the blob is claimed before it
     * is looked at, so a manifest pushed on the strength of a yes finds it still there.
     */
    public BlobContent check(RepositoryName repository, Digest digest) {
        // a blob the repository does not link is unknown without a claim or a second look (the usual answer before
        // a push)
        if (!links.existsExpectingNot(new LayerLink(repository, digest))) {
            throw new BlobUnknownException(digest);
        }
        claims.claim(digest);
        return stat(repository, digest);
    }

    /** The content from {@code offset}; call {@link #stat} first. The caller closes the stream. */
    public InputStream open(Digest digest, long offset) {
        return restoringIfQuarantined(digest, key -> driver.reader(key, offset));
    }

    /**
     * The content as a file, when the storage keeps files (see {@link StorageDriver#fileChannel}); call
     * {@link #stat} first. The caller closes the channel.
     */
    public Optional<FileChannel> file(Digest digest) {
        return restoringIfQuarantined(digest, driver::fileChannel);
    }

    /**
     * Where a client can fetch the content from the storage itself, when the storage serves content directly and
     * the registry sends clients there; call {@link #stat} first.
     */
    public Optional<URI> downloadUrl(Digest digest) {
        return driver.downloadUrl(Layout.key(new BlobData(digest)));
    }

    /** Opens the blob's data, first bringing it back if a collection has quarantined it since {@link #stat}. */
    private <T> T restoringIfQuarantined(Digest digest, Function<String, T> opener) {
        BlobData data = new BlobData(digest);
        try {
            return opener.apply(Layout.key(data));
        } catch (NotFoundException e) {
            if (quarantines.restore(data)) {
                return opener.apply(Layout.key(data));
            }
            throw e;
        }
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
        BlobData data = new BlobData(digest);
        Optional<FileInfo> info = driver.statFile(Layout.key(data));
        if (info.isEmpty() && quarantines.restore(data)) {
            info = driver.statFile(Layout.key(data));
        }
        return info.map(i -> new BlobContent(digest, i.size()));
    }

    /** Whether content is stored under this digest, for content usually not ({@link Quarantines#existsExpectingNot}). */
    boolean storedExpectingNot(Digest digest) {
        return quarantines.existsExpectingNot(new BlobData(digest));
    }

    /** Declares that a request is about to rely on the blob; do it before checking that the blob is there. */
    void claim(Digest digest) {
        claims.claim(digest);
    }

    /**
     * Withdraws the claims of a refused request on blobs that are not stored, so that bad input leaves nothing
     * behind; a blob that is stored keeps its claim, which only delays its collection.
     */
    void releaseMissing(List<Digest> claimed) {
        for (Digest digest : claimed) {
            if (stored(digest).isEmpty()) {
                claims.release(digest);
            }
        }
    }

    /** Makes stored content part of the repository. */
    void link(RepositoryName repository, Digest digest) {
        links.write(new LayerLink(repository, digest), digest);
    }

    boolean linked(RepositoryName repository, Digest digest) {
        return links.exists(new LayerLink(repository, digest)) && stored(digest).isPresent();
    }
}
