package dev.berth.registry;

import dev.berth.oci.UploadId;

/** No upload session with this id exists in the repository. */
public final class BlobUploadUnknownException extends RegistryException {
    public BlobUploadUnknownException(UploadId id) {
        super("blob upload unknown: " + id);
    }
}
