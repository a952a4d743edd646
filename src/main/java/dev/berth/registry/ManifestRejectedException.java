package dev.berth.registry;

/** A well-formed manifest that the registry's validation rules refuse (such as a layer URL not allowed). */
public final class ManifestRejectedException extends RegistryException {
    public ManifestRejectedException(String message) {
        super(message);
    }
}
