package dev.berth.http;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;

/**
 * What a request did to a repository's content, as distribution's notifications tell it: a blob or manifest pushed,
 * pulled (a HEAD counts, as in distribution), mounted or deleted, a tag deleted, or a whole repository. Fields a
 * kind of event lacks are empty (a size of 0).
 *
 * @param url      where the content is served, as clients address this registry
 * @param manifest a pushed or pulled manifest's bytes (read-only), for listeners told what it references
 */
public record ContentEvent(Action action, RepositoryName repository, Optional<Digest> digest,
                           Optional<String> mediaType, long size, Optional<Tag> tag, Optional<RepositoryName> from,
                           Optional<String> url, Optional<ByteBuffer> manifest) {

    /** What was done. */
    public enum Action {
        PUSH, PULL, MOUNT, DELETE;

        /** As events name it: {@code push}, {@code pull}, ... */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The same event without the manifest's bytes. */
    public ContentEvent withoutManifest() {
        return manifest.isEmpty() ? this
                : new ContentEvent(action, repository, digest, mediaType, size, tag, from, url, Optional.empty());
    }

    static ContentEvent blob(Action action, RepositoryName repository, Digest digest, long size, String url) {
        return new ContentEvent(action, repository, Optional.of(digest), Optional.of(MediaType.OCTET_STREAM), size,
                Optional.empty(), Optional.empty(), Optional.of(url), Optional.empty());
    }

    static ContentEvent mounted(RepositoryName repository, Digest digest, long size, Optional<RepositoryName> from,
                                String url) {
        return new ContentEvent(Action.MOUNT, repository, Optional.of(digest), Optional.of(MediaType.OCTET_STREAM),
                size, Optional.empty(), from, Optional.of(url), Optional.empty());
    }

    static ContentEvent manifest(Action action, RepositoryName repository, Digest digest, String mediaType,
                                 ByteBuffer bytes, Optional<Tag> tag, String url) {
        return new ContentEvent(action, repository, Optional.of(digest), Optional.of(mediaType), bytes.remaining(),
                tag, Optional.empty(), Optional.of(url), Optional.of(bytes.asReadOnlyBuffer()));
    }

    /** A blob or manifest deleted: only its digest is told, as by distribution. */
    static ContentEvent deleted(RepositoryName repository, Digest digest) {
        return new ContentEvent(Action.DELETE, repository, Optional.of(digest), Optional.empty(), 0, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A whole repository deleted: only its name is told, as by distribution 3. */
    static ContentEvent repositoryDeleted(RepositoryName repository) {
        return new ContentEvent(Action.DELETE, repository, Optional.empty(), Optional.empty(), 0, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    static ContentEvent untagged(RepositoryName repository, Tag tag) {
        return new ContentEvent(Action.DELETE, repository, Optional.empty(), Optional.empty(), 0, Optional.of(tag),
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
