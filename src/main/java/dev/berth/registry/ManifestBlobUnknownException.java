package dev.berth.registry;

import dev.berth.oci.Digest;

/** A manifest references a blob or child manifest the repository does not have. */
public final class ManifestBlobUnknownException extends RegistryException {
    public ManifestBlobUnknownException(Digest digest) {
        super("manifest references unknown content: " + digest);
    }
}
