package dev.berth.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The access policy: rules, groups and administrators. Without rules, every authenticated user may do
 * everything and anonymous callers nothing, which is distribution's htpasswd behaviour.
 */
public final class AccessRules {

    private final List<AccessRule> rules;
    private final Map<String, Set<String>> groups;
    private final Set<String> admins;

    /**
     * @param groups group name → its members
     * @param admins users and {@code @group}s that may do everything
     */
    public AccessRules(List<AccessRule> rules, Map<String, Set<String>> groups, Set<String> admins) {
        this.rules = List.copyOf(rules);
        this.groups = Map.copyOf(groups);
        this.admins = Set.copyOf(admins);
    }

    /** Distribution's all-or-nothing policy. */
    public static AccessRules everyUserEverything() {
        return new AccessRules(List.of(new AccessRule(Set.of(AccessRule.ANY_USER),
                List.of(new RepositoryGlob("**")), Set.of(Action.ALL))), Map.of(), Set.of(AccessRule.ANY_USER));
    }

    public Permissions permissionsOf(Optional<String> user) {
        Set<String> memberOf = user.map(u -> groups.entrySet().stream()
                .filter(e -> e.getValue().contains(u)).map(Map.Entry::getKey).collect(Collectors.toSet()))
                .orElse(Set.of());
        if (user.isPresent() && AccessRule.names(admins, user, memberOf)) {
            return Permissions.ALL;
        }
        List<AccessRule> applicable = rules.stream().filter(rule -> rule.appliesTo(user, memberOf)).toList();
        return access -> switch (access.type()) {
            // the catalog is open to anyone who may pull something; it lists only what they may pull
            case Access.REGISTRY -> access.name().equals(Access.CATALOG) && !applicable.isEmpty();
            case Access.REPOSITORY -> access.actions().stream().allMatch(action ->
                    applicable.stream().anyMatch(rule -> rule.grants(access.name(), action, user)));
            default -> false;
        };
    }
}
