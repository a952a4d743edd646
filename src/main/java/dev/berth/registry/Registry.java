package dev.berth.registry;

import dev.berth.storage.StorageDriver;
import java.time.Clock;

/** The registry's domain services over one storage driver. */
public record Registry(Blobs blobs, Uploads uploads, Manifests manifests, Tags tags, Referrers referrers,
                       Catalog catalog) {

    /**
     * @param deleteEnabled  whether blobs and manifests may be deleted ({@code storage.delete.enabled})
     * @param manifestRules  which foreign layer URLs pushed manifests may carry
     */
    public static Registry over(StorageDriver driver, boolean deleteEnabled, ManifestRules manifestRules,
                                Clock clock) {
        Blobs blobs = new Blobs(driver, deleteEnabled);
        Tags tags = new Tags(driver, clock);
        return new Registry(blobs, new Uploads(driver, blobs, clock),
                new Manifests(driver, blobs, tags, manifestRules, deleteEnabled), tags, new Referrers(driver),
                new Catalog(driver, deleteEnabled, Catalog.DEFAULT_MAX_PAGE));
    }

    /** This registry with catalog pages of at most {@code maxPage} repositories ({@code catalog.maxentries}). */
    public Registry withCatalogMaxPage(int maxPage) {
        return new Registry(blobs, uploads, manifests, tags, referrers, catalog.withMaxPage(maxPage));
    }
}
