package dev.berth.oci;

/** Text that does not follow the grammar of an OCI value (name, tag, digest, upload id, manifest). */
public class InvalidValueException extends RuntimeException {

    /** Longer values are cut in messages: the client sent them, and an error need not send 100 KB back. */
    private static final int SHOWN = 300;

    public InvalidValueException(String message) {
        super(message);
    }

    /** The value as a message shows it: whole when short, else its start and its length. */
    static String shown(String value) {
        return value == null || value.length() <= SHOWN ? String.valueOf(value)
                : value.substring(0, SHOWN) + "... (" + value.length() + " characters)";
    }
}
