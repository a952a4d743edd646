package dev.berth.registry;

/** A chunk whose Content-Range does not start at the end of what was uploaded so far. */
public final class UploadOutOfOrderException extends RegistryException {
    private final UploadStatus status;

    public UploadOutOfOrderException(UploadStatus status) {
        super("chunk does not start where the upload ends, at byte " + status.size());
        this.status = status;
    }

    /** The session as it stands: the client continues from its size. */
    public UploadStatus status() {
        return status;
    }
}
