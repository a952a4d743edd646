package dev.berth.registry;

/** An upload request that cannot be applied: bad lengths, a body that ended early. */
public final class BlobUploadInvalidException extends RegistryException {
    public BlobUploadInvalidException(String message) {
        super(message);
    }
}
