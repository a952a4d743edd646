package dev.berth.storage.layout;

import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.oci.UploadId;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every kind of path Berth reads or writes, laid out exactly as distribution does so that either registry
 * serves the other's data:
 *
 * <pre>
 * /docker/registry/v2/
 *   blobs/&lt;alg&gt;/&lt;hex[0:2]&gt;/&lt;hex&gt;/data                  content, stored once
 *   blobs/&lt;alg&gt;/&lt;hex[0:2]&gt;/&lt;hex&gt;/claimed               (Berth) rewritten whenever a request relies on the blob
 *   repositories/&lt;name&gt;/
 *     _layers/&lt;alg&gt;/&lt;hex&gt;/link                         the repository may serve this blob
 *     _manifests/revisions/&lt;alg&gt;/&lt;hex&gt;/link             a manifest of the repository
 *     _manifests/tags/&lt;tag&gt;/current/link                 the manifest the tag points to
 *     _manifests/tags/&lt;tag&gt;/index/&lt;alg&gt;/&lt;hex&gt;/link      every manifest the tag has pointed to
 *     _uploads/&lt;id&gt;/data, startedat                     an upload in progress
 *   _berth/clock                                        (Berth) the collector reads the storage's time from it
 * </pre>
 *
 * A link file holds the digest as text, without a newline. While the garbage collector decides whether to
 * delete a blob's {@code data} or a {@code link}, the file is renamed to {@code quarantine-<run>} in the same
 * directory (see docs/garbage-collection.md). Distribution ignores the files Berth adds.
 */
public sealed interface StoragePath {

    record BlobData(Digest digest) implements StoragePath {
    }

    /** All blobs of one algorithm, in shards named by the first two hex digits. */
    record BlobsRoot(DigestAlgorithm algorithm) implements StoragePath {
    }

    record BlobShard(DigestAlgorithm algorithm, String prefix) implements StoragePath {
        private static final Pattern PREFIX = Pattern.compile("[0-9a-f]{2}");

        public BlobShard {
            if (prefix == null || !PREFIX.matcher(prefix).matches()) {
                throw new IllegalArgumentException("not a blob shard: " + prefix);
            }
        }
    }

    record BlobDirectory(Digest digest) implements StoragePath {
    }

    /** Its modification time is the last time a request relied on the blob; its content does not matter. */
    record BlobClaim(Digest digest) implements StoragePath {
    }

    /** A file the collector has set aside: {@code file} is blob data or a link, {@code run} names the collection. */
    record Quarantine(StoragePath file, String run) implements StoragePath {
        /** Names of quarantined files start with this, followed by the run. */
        public static final String PREFIX = "quarantine-";
        private static final Pattern RUN = Pattern.compile("[A-Za-z0-9-]{1,64}");

        public Quarantine {
            if (!covers(file)) {
                throw new IllegalArgumentException("only blob data and links are quarantined, not " + file);
            }
            if (run == null || !RUN.matcher(run).matches()) {
                throw new IllegalArgumentException("invalid collection run: " + run);
            }
        }

        /** The quarantined copy of {@code file} a directory entry names, if it names one. */
        public static Optional<Quarantine> named(StoragePath file, String name) {
            if (!covers(file) || !name.startsWith(PREFIX)) {
                return Optional.empty();
            }
            String run = name.substring(PREFIX.length());
            return RUN.matcher(run).matches() ? Optional.of(new Quarantine(file, run)) : Optional.empty();
        }

        /** Whether the collector may set {@code file} aside: blob data, layer and revision links. */
        public static boolean covers(StoragePath file) {
            return file instanceof BlobData || file instanceof LayerLink || file instanceof ManifestRevisionLink;
        }
    }

    /** A file whose modification time is the storage's clock, as the collector reads it. */
    record CollectorClock() implements StoragePath {
    }

    record RepositoriesRoot() implements StoragePath {
    }

    record RepositoryRoot(RepositoryName repository) implements StoragePath {
    }

    record LayersRoot(RepositoryName repository) implements StoragePath {
    }

    record LayerLinks(RepositoryName repository, DigestAlgorithm algorithm) implements StoragePath {
    }

    record LayerLink(RepositoryName repository, Digest digest) implements StoragePath {
    }

    record ManifestsRoot(RepositoryName repository) implements StoragePath {
    }

    record ManifestRevisions(RepositoryName repository, DigestAlgorithm algorithm) implements StoragePath {
    }

    record ManifestRevisionLink(RepositoryName repository, Digest digest) implements StoragePath {
    }

    record Tags(RepositoryName repository) implements StoragePath {
    }

    record TagRoot(RepositoryName repository, Tag tag) implements StoragePath {
    }

    record TagCurrentLink(RepositoryName repository, Tag tag) implements StoragePath {
    }

    record TagIndexLink(RepositoryName repository, Tag tag, Digest digest) implements StoragePath {
    }

    record UploadsRoot(RepositoryName repository) implements StoragePath {
    }

    record UploadRoot(RepositoryName repository, UploadId id) implements StoragePath {
    }

    record UploadData(RepositoryName repository, UploadId id) implements StoragePath {
    }

    record UploadStartedAt(RepositoryName repository, UploadId id) implements StoragePath {
    }
}
