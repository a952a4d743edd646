package dev.berth.registry;

import dev.berth.oci.RepositoryName;

/** No repository of this name exists. */
public final class NameUnknownException extends RegistryException {
    public NameUnknownException(RepositoryName name) {
        super("repository name not known to registry: " + name);
    }
}
