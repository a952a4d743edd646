package dev.berth.oci;

/** A digest that is malformed or uses an algorithm Berth does not support. */
public final class InvalidDigestException extends InvalidValueException {
    public InvalidDigestException(String message) {
        super(message);
    }
}
