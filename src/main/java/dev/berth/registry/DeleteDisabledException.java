package dev.berth.registry;

/** A delete while {@code storage.delete.enabled} is off. */
public final class DeleteDisabledException extends RegistryException {
    public DeleteDisabledException() {
        super("deletes are disabled on this registry (storage.delete.enabled)");
    }
}
