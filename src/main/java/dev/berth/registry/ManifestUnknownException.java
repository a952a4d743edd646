package dev.berth.registry;

/** The repository has no manifest for this tag or digest. */
public final class ManifestUnknownException extends RegistryException {
    public ManifestUnknownException(String reference) {
        super("manifest unknown: " + reference);
    }
}
