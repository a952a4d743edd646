package dev.berth.oci;

/** Text that does not follow the grammar of an OCI value (name, tag, digest, upload id, manifest). */
public class InvalidValueException extends RuntimeException {
    public InvalidValueException(String message) {
        super(message);
    }
}
