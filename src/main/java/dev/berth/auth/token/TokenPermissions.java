package dev.berth.auth.token;

import dev.berth.auth.Access;
import dev.berth.auth.Action;
import dev.berth.auth.Permissions;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a token's {@code access} claim grants. An action {@code *} grants every action on its resource, as in
 * distribution. What the catalog shows is decided apart: the token only says whether it may be listed at all.
 */
record TokenPermissions(List<Access> granted, Predicate<String> catalog) implements Permissions {

    TokenPermissions {
        granted = List.copyOf(granted);
    }

    @Override
    public boolean allows(Access access) {
        return access.actions().stream().allMatch(action -> granted.stream().anyMatch(grant ->
                grant.type().equals(access.type()) && grant.name().equals(access.name())
                        && (grant.actions().contains(action) || grant.actions().contains(Action.ALL))));
    }

    @Override
    public boolean listsInCatalog(String repository) {
        return catalog.test(repository);
    }
}
