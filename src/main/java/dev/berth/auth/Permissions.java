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
