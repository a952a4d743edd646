package dev.berth.gc;

import java.util.List;

/**
 * Directories hold a repository's files under a path that is no name Berth accepts, so the blobs their manifests
 * use are unknown and nothing can safely be collected. Distribution serves such names: its grammar also takes a
 * first component in a host name's form, with capitals or a port, so a registry:2 volume may hold them.
 */
public final class UnreadableRepositoryException extends CollectionStoppedException {
    public UnreadableRepositoryException(List<String> directories) {
        super("repositories/" + String.join(", repositories/", directories) + ": a repository under a name Berth "
                + "does not accept (lower-case components only), so the blobs its manifests use are unknown; nothing "
                + "was deleted. Move or delete the directory, or collect with distribution's garbage-collect");
    }
}
