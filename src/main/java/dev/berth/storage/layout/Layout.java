package dev.berth.storage.layout;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.layout.StoragePath.BlobClaim;
import dev.berth.storage.layout.StoragePath.BlobData;
import dev.berth.storage.layout.StoragePath.BlobDirectory;
import dev.berth.storage.layout.StoragePath.BlobShard;
import dev.berth.storage.layout.StoragePath.BlobsRoot;
import dev.berth.storage.layout.StoragePath.CollectorClock;
import dev.berth.storage.layout.StoragePath.LayerLink;
import dev.berth.storage.layout.StoragePath.LayerLinks;
import dev.berth.storage.layout.StoragePath.LayersRoot;
import dev.berth.storage.layout.StoragePath.ManifestRevisionLink;
import dev.berth.storage.layout.StoragePath.ManifestRevisions;
import dev.berth.storage.layout.StoragePath.ManifestsRoot;
import dev.berth.storage.layout.StoragePath.Quarantine;
import dev.berth.storage.layout.StoragePath.RepositoriesRoot;
import dev.berth.storage.layout.StoragePath.RepositoryRoot;
import dev.berth.storage.layout.StoragePath.TagCurrentLink;
import dev.berth.storage.layout.StoragePath.TagIndexLink;
import dev.berth.storage.layout.StoragePath.TagRoot;
import dev.berth.storage.layout.StoragePath.Tags;
import dev.berth.storage.layout.StoragePath.UploadData;
import dev.berth.storage.layout.StoragePath.UploadRoot;
import dev.berth.storage.layout.StoragePath.UploadStartedAt;
import dev.berth.storage.layout.StoragePath.UploadsRoot;
import java.util.Optional;

/** The one place a storage key is built; see {@link StoragePath} for the tree. */
public final class Layout {

    public static final String V2 = "/docker/registry/v2";
    public static final String REPOSITORIES = V2 + "/repositories";
    /** Directory names inside a repository that belong to the registry, never to a nested repository. */
    public static final String LAYERS = "_layers";
    public static final String MANIFESTS = "_manifests";
    /** In {@link #MANIFESTS}: the manifests the repository has, whereas its tags directory may stay empty. */
    public static final String REVISIONS = "revisions";
    public static final String UPLOADS = "_uploads";
    /** Written and deleted to prove the storage writable; outside distribution's tree, so no tool trips on it. */
    public static final String HEALTH_PROBE = "/berth/health-probe";

    /** A link's file name, in the directory of the digest it names (a revision's, a layer's) or of its tag. */
    public static final String LINK = "link";
    /** A tag's current link, relative to the tag's own directory. */
    public static final String TAG_CURRENT_LINK = "current/" + LINK;

    private static final String BLOBS = V2 + "/blobs";
    private static final String TAGS = "tags";
    private static final String MANIFESTS_SUFFIX = "/" + MANIFESTS;

    private Layout() {
    }

    /**
     * Directories a storage that prunes empty ones keeps all the same, because distribution, serving the same
     * storage after a rollback, fails without them: its collector cannot start without the repositories and blobs
     * roots.
     */
    public static boolean keptWhenEmpty(String directoryKey) {
        return directoryKey.equals(REPOSITORIES) || directoryKey.equals(BLOBS);
    }

    /**
     * The directory such a storage keeps inside {@code directoryKey} while that holds anything else. A repository's
     * tags directory, in its manifests directory, for as long as it has manifests, since distribution answers a
     * tags listing without one with NAME_UNKNOWN. A repository's uploads directory, for as long as the repository
     * holds anything else, as distribution leaves it: every blob pushed starts an upload in it, and making it again
     * for each cost a directory's creation and removal. Once the rest is gone either goes with it, so that a deleted
     * repository leaves nothing behind. Empty for every other directory.
     */
    public static Optional<String> keptBesideOthersIn(String directoryKey) {
        if (!directoryKey.startsWith(REPOSITORIES + "/")) {
            return Optional.empty();
        }
        if (directoryKey.indexOf(MANIFESTS_SUFFIX) == directoryKey.length() - MANIFESTS_SUFFIX.length()) {
            return Optional.of(TAGS);
        }
        // a repository's directory, or a namespace's, which holds no uploads: no component of a name starts with
        // '_', as every directory of the registry's own in a repository does
        return directoryKey.indexOf("/_", REPOSITORIES.length()) < 0 ? Optional.of(UPLOADS) : Optional.empty();
    }

    /** Whether the key is an upload's data, the one file appended to chunk after chunk. */
    public static boolean isUploadData(String key) {
        int data = key.lastIndexOf('/');
        int id = key.lastIndexOf('/', data - 1);
        int uploads = key.lastIndexOf('/', id - 1);
        return key.startsWith(REPOSITORIES + "/") && key.startsWith("/data", data) && data == key.length() - 5
                && uploads > 0 && key.startsWith("/" + UPLOADS + "/", uploads);
    }

    public static String key(StoragePath path) {
        return switch (path) {
            case BlobData(Digest d) -> join(blobDirectory(d), "data");
            case BlobsRoot(var algorithm) -> join(V2, "blobs", algorithm.id());
            case BlobShard(var algorithm, var prefix) -> join(V2, "blobs", algorithm.id(), prefix);
            case BlobDirectory(Digest d) -> blobDirectory(d);
            case BlobClaim(Digest d) -> join(blobDirectory(d), "claimed");
            case Quarantine(var file, var run) -> join(directory(file), Quarantine.PREFIX.concat(run));
            case CollectorClock() -> join(V2, "_berth", "clock");
            case RepositoriesRoot() -> REPOSITORIES;
            case RepositoryRoot(RepositoryName r) -> repository(r);
            case LayersRoot(RepositoryName r) -> join(repository(r), LAYERS);
            case LayerLinks(RepositoryName r, var algorithm) -> join(repository(r), LAYERS, algorithm.id());
            case LayerLink(RepositoryName r, Digest d) -> join(repository(r), LAYERS, digestPath(d), LINK);
            case ManifestsRoot(RepositoryName r) -> join(repository(r), MANIFESTS);
            case ManifestRevisions(RepositoryName r, var algorithm) ->
                    join(repository(r), MANIFESTS, REVISIONS, algorithm.id());
            case ManifestRevisionLink(RepositoryName r, Digest d) ->
                    join(repository(r), MANIFESTS, REVISIONS, digestPath(d), LINK);
            case Tags(RepositoryName r) -> join(repository(r), MANIFESTS, TAGS);
            case TagRoot(RepositoryName r, var tag) -> join(repository(r), MANIFESTS, TAGS, tag.value());
            case TagCurrentLink(RepositoryName r, var tag) ->
                    join(repository(r), MANIFESTS, TAGS, tag.value(), TAG_CURRENT_LINK);
            case TagIndexLink(RepositoryName r, var tag, Digest d) ->
                    join(repository(r), MANIFESTS, TAGS, tag.value(), "index", digestPath(d), LINK);
            case UploadsRoot(RepositoryName r) -> join(repository(r), UPLOADS);
            case UploadRoot(RepositoryName r, var id) -> join(repository(r), UPLOADS, id.value());
            case UploadData(RepositoryName r, var id) -> join(repository(r), UPLOADS, id.value(), "data");
            case UploadStartedAt(RepositoryName r, var id) -> join(repository(r), UPLOADS, id.value(), "startedat");
        };
    }

    /** The key of the directory that holds {@code file}. */
    public static String directory(StoragePath file) {
        String key = key(file);
        return key.substring(0, key.lastIndexOf('/'));
    }

    private static String blobDirectory(Digest d) {
        return join(V2, "blobs", d.algorithm().id(), d.encoded().substring(0, 2), d.encoded());
    }

    private static String repository(RepositoryName name) {
        return join(REPOSITORIES, name.value());
    }

    private static String digestPath(Digest d) {
        return join(d.algorithm().id(), d.encoded());
    }

    /**
     * Joins key components with slashes. A call, not {@code +}: the string concatenations of the 25 cases above
     * made {@link #key} one method that took the JIT's first tier 22 MB of memory to compile (JDK 25).
     */
    private static String join(String... components) {
        return String.join("/", components);
    }
}
