package dev.berth.storage.layout;

import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.oci.UploadId;

/**
 * Every kind of path Berth reads or writes, laid out exactly as distribution does so that either registry
 * serves the other's data:
 *
 * <pre>
 * /docker/registry/v2/
 *   blobs/&lt;alg&gt;/&lt;hex[0:2]&gt;/&lt;hex&gt;/data                  content, stored once
 *   repositories/&lt;name&gt;/
 *     _layers/&lt;alg&gt;/&lt;hex&gt;/link                         the repository may serve this blob
 *     _manifests/revisions/&lt;alg&gt;/&lt;hex&gt;/link             a manifest of the repository
 *     _manifests/tags/&lt;tag&gt;/current/link                 the manifest the tag points to
 *     _manifests/tags/&lt;tag&gt;/index/&lt;alg&gt;/&lt;hex&gt;/link      every manifest the tag has pointed to
 *     _uploads/&lt;id&gt;/data, startedat                     an upload in progress
 * </pre>
 *
 * A link file holds the digest as text, without a newline.
 */
public sealed interface StoragePath {

    record BlobData(Digest digest) implements StoragePath {
    }

    record RepositoriesRoot() implements StoragePath {
    }

    record RepositoryRoot(RepositoryName repository) implements StoragePath {
    }

    record LayerLink(RepositoryName repository, Digest digest) implements StoragePath {
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

    record UploadRoot(RepositoryName repository, UploadId id) implements StoragePath {
    }

    record UploadData(RepositoryName repository, UploadId id) implements StoragePath {
    }

    record UploadStartedAt(RepositoryName repository, UploadId id) implements StoragePath {
    }
}
