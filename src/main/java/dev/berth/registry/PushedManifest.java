package dev.berth.registry;

import dev.berth.oci.Digest;
import java.util.Optional;

/**
 * The result of a manifest push: its digest, the media type it is served with, and the subject it refers to
 * (OCI 1.1), if any.
 */
public record PushedManifest(Digest digest, String mediaType, Optional<Digest> subject) {
}
