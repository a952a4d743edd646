package dev.berth.registry;

import dev.berth.oci.Digest;

/** A blob the repository may serve, with its size. */
public record BlobContent(Digest digest, long size) {
}
