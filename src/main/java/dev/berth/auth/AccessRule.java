package dev.berth.auth;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what where. {@code who} holds user names, {@code @group} names, {@link #ANONYMOUS} for callers
 * without credentials and {@link #ANY_USER} for every authenticated user.
 */
public record AccessRule(Set<String> who, List<RepositoryGlob> repositories, Set<Action> actions) {

    public static final String ANONYMOUS = "anonymous";
    public static final String ANY_USER = "*";

    public AccessRule {
        who = Set.copyOf(who);
        repositories = List.copyOf(repositories);
        actions = Set.copyOf(actions);
    }

    boolean appliesTo(Optional<String> user, Set<String> groups) {
        if (user.isEmpty()) {
            return who.contains(ANONYMOUS);
        }
        return who.contains(ANY_USER) || who.contains(user.get())
                || groups.stream().anyMatch(group -> who.contains("@" + group));
    }

    boolean grants(String repository, Action action, Optional<String> user) {
        return (actions.contains(action) || actions.contains(Action.ALL))
                && repositories.stream().anyMatch(glob -> glob.matches(repository, user));
    }
}
