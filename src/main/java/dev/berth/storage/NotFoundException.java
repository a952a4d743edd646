package dev.berth.storage;

/** Nothing is stored at the key. */
public final class NotFoundException extends StorageException {
    public NotFoundException(String key) {
        super("not found: " + key);
    }
}
