package dev.berth.auth;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what where. {@code who} holds user names, {@code @group} names, {@link #ANONYMOUS} for callers
 * without credentials and {@link #ANY_USER} for every authenticated user. Those words keep their meaning for
 * users who carry them as names: a user named {@code @ops} is not in the group, nor is {@code anonymous} anonymous.
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
        return names(who, user, groups);
    }

    /** Whether {@code who} names the caller: by name, through one of its groups, or as any user or anonymous. */
    static boolean names(Set<String> who, Optional<String> user, Set<String> groups) {
        if (user.isEmpty()) {
            return who.contains(ANONYMOUS);
        }
        String name = user.get();
        boolean plainName = !name.startsWith("@") && !name.equals(ANONYMOUS);
        return who.contains(ANY_USER) || (plainName && who.contains(name))
                || groups.stream().anyMatch(group -> who.contains("@" + group));
    }

    boolean grants(String repository, Action action, Optional<String> user) {
        return (actions.contains(action) || actions.contains(Action.ALL))
                && repositories.stream().anyMatch(glob -> glob.matches(repository, user));
    }
}
