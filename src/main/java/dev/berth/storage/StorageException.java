package dev.berth.storage;

/** A backend failure: the operation may or may not have happened, and retrying may help. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
