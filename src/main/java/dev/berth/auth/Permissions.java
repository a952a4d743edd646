package dev.berth.auth;

import java.util.Set;

/** What a caller may do, asked once per access (a catalog filter asks once per repository). */
public interface Permissions {

    Permissions ALL = new Permissions() {
        @Override
        public boolean allows(Access access) {
            return true;
        }

        @Override
        public boolean allowsEverything() {
            return true;
        }
    };

    /**
     * Nothing at all. A class rather than a lambda, as {@link #ALL} is: the start-up cache kept no linkage for a
     * lambda here, and linking it took 2–3 ms of a server's first request.
     */
    Permissions NONE = new Permissions() {
        @Override
        public boolean allows(Access access) {
            return false;
        }
    };

    boolean allows(Access access);

    /** Whether the caller may pull from every repository, which blob mounts without a source require. */
    default boolean allowsEverything() {
        return false;
    }

    /** Whether the catalog shows {@code repository} to the caller: by default, when they may pull from it. */
    default boolean listsInCatalog(String repository) {
        return allows(Access.repository(repository, Set.of(Action.PULL)));
    }
}
