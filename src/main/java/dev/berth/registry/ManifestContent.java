package dev.berth.registry;

import dev.berth.oci.Digest;

/** A stored manifest: the exact bytes that were pushed, their digest and their media type. */
public record ManifestContent(Digest digest, String mediaType, byte[] bytes) {
}
