package dev.berth.oci;

/** A manifest body that is not a well-formed manifest of a type Berth accepts. */
public final class InvalidManifestException extends InvalidValueException {
    public InvalidManifestException(String message) {
        super(message);
    }
}
