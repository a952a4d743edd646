package dev.berth.oci;

/** A repository name outside the distribution spec's grammar. */
public final class InvalidNameException extends InvalidValueException {
    public InvalidNameException(String message) {
        super(message);
    }
}
