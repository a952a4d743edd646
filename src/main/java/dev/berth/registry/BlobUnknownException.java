package dev.berth.registry;

import dev.berth.oci.Digest;

/** The repository has no such blob. */
public final class BlobUnknownException extends RegistryException {
    public BlobUnknownException(Digest digest) {
        super("blob unknown: " + digest);
    }
}
