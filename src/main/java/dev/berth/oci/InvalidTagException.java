package dev.berth.oci;

/** A tag outside the distribution spec's grammar. */
public final class InvalidTagException extends InvalidValueException {
    public InvalidTagException(String message) {
        super(message);
    }
}
