package dev.berth.gc;

/**
 * Something in storage cannot be read, so what it keeps alive is unknown and the collection stops before it
 * deletes anything: collecting anyway could delete what it uses. The message says what and what to do.
 */
public abstract class CollectionStoppedException extends RuntimeException {
    protected CollectionStoppedException(String message) {
        super(message);
    }
}
