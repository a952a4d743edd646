package dev.berth.storage.layout;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.layout.StoragePath.BlobData;
import dev.berth.storage.layout.StoragePath.LayerLink;
import dev.berth.storage.layout.StoragePath.ManifestRevisionLink;
import dev.berth.storage.layout.StoragePath.ManifestRevisions;
import dev.berth.storage.layout.StoragePath.RepositoriesRoot;
import dev.berth.storage.layout.StoragePath.RepositoryRoot;
import dev.berth.storage.layout.StoragePath.TagCurrentLink;
import dev.berth.storage.layout.StoragePath.TagIndexLink;
import dev.berth.storage.layout.StoragePath.TagRoot;
import dev.berth.storage.layout.StoragePath.Tags;
import dev.berth.storage.layout.StoragePath.UploadData;
import dev.berth.storage.layout.StoragePath.UploadRoot;
import dev.berth.storage.layout.StoragePath.UploadStartedAt;

/** The one place a storage key is built; see {@link StoragePath} for the tree. */
public final class Layout {

    public static final String V2 = "/docker/registry/v2";
    public static final String REPOSITORIES = V2 + "/repositories";
    /** Directory names inside a repository that belong to the registry, never to a nested repository. */
    public static final String LAYERS = "_layers";
    public static final String MANIFESTS = "_manifests";
    public static final String UPLOADS = "_uploads";
    /** Written and deleted to prove the storage writable; outside distribution's tree, so no tool trips on it. */
    public static final String HEALTH_PROBE = "/berth/health-probe";

    private Layout() {
    }

    public static String key(StoragePath path) {
        return switch (path) {
            case BlobData(Digest d) ->
                    V2 + "/blobs/" + d.algorithm().id() + "/" + d.encoded().substring(0, 2) + "/" + d.encoded()
                            + "/data";
            case RepositoriesRoot() -> REPOSITORIES;
            case RepositoryRoot(RepositoryName r) -> repository(r);
            case LayerLink(RepositoryName r, Digest d) -> repository(r) + "/" + LAYERS + "/" + digestPath(d) + "/link";
            case ManifestRevisions(RepositoryName r, var algorithm) ->
                    repository(r) + "/" + MANIFESTS + "/revisions/" + algorithm.id();
            case ManifestRevisionLink(RepositoryName r, Digest d) ->
                    repository(r) + "/" + MANIFESTS + "/revisions/" + digestPath(d) + "/link";
            case Tags(RepositoryName r) -> repository(r) + "/" + MANIFESTS + "/tags";
            case TagRoot(RepositoryName r, var tag) -> repository(r) + "/" + MANIFESTS + "/tags/" + tag.value();
            case TagCurrentLink(RepositoryName r, var tag) ->
                    repository(r) + "/" + MANIFESTS + "/tags/" + tag.value() + "/current/link";
            case TagIndexLink(RepositoryName r, var tag, Digest d) ->
                    repository(r) + "/" + MANIFESTS + "/tags/" + tag.value() + "/index/" + digestPath(d) + "/link";
            case UploadRoot(RepositoryName r, var id) -> repository(r) + "/" + UPLOADS + "/" + id.value();
            case UploadData(RepositoryName r, var id) -> repository(r) + "/" + UPLOADS + "/" + id.value() + "/data";
            case UploadStartedAt(RepositoryName r, var id) ->
                    repository(r) + "/" + UPLOADS + "/" + id.value() + "/startedat";
        };
    }

    private static String repository(RepositoryName name) {
        return REPOSITORIES + "/" + name.value();
    }

    private static String digestPath(Digest d) {
        return d.algorithm().id() + "/" + d.encoded();
    }
}
