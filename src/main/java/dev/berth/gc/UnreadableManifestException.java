package dev.berth.gc;

import dev.berth.oci.Digest;

/** A stored manifest cannot be read, so what it references is unknown and nothing can safely be collected. */
public final class UnreadableManifestException extends CollectionStoppedException {
    public UnreadableManifestException(Digest manifest, String reason) {
        super("cannot read manifest " + manifest + " (" + reason + "); nothing was deleted. Delete the manifest "
                + "or repair it, then collect again");
    }
}
