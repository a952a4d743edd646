package dev.berth.registry;

import dev.berth.oci.Digest;

/** Content whose digest differs from the one the client named; nothing was stored. */
public final class DigestMismatchException extends RegistryException {
    public DigestMismatchException(Digest expected, Digest actual) {
        super("digest " + expected + " does not match the content, whose digest is " + actual);
    }
}
