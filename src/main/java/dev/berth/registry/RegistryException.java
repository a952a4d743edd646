package dev.berth.registry;

/** A request the registry refuses for a reason the client can understand and act on. */
public abstract sealed class RegistryException extends RuntimeException
        permits BlobUnknownException, BlobUploadUnknownException, BlobUploadInvalidException,
        DigestMismatchException, ManifestUnknownException, ManifestBlobUnknownException, ManifestRejectedException,
        NameUnknownException, DeleteDisabledException, UploadOutOfOrderException,
        ManifestTooLargeException {

    protected RegistryException(String message) {
        super(message, null, false, false);
    }
}
