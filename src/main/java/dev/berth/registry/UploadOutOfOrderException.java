package dev.berth.registry;

/** A chunk whose Content-Range does not start at the end of what was uploaded so far. */
public final class UploadOutOfOrderException extends RegistryException {
    private final long size;

    public UploadOutOfOrderException(long size) {
        super("chunk does not start where the upload ends, at byte " + size);
        this.size = size;
    }

    /** Bytes received so far, which the client continues from. */
    public long size() {
        return size;
    }
}
