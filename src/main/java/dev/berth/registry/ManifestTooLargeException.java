package dev.berth.registry;

/** A manifest body larger than the registry accepts. */
public final class ManifestTooLargeException extends RegistryException {
    public ManifestTooLargeException(long limit) {
        super("manifest exceeds the limit of " + limit + " bytes");
    }
}
