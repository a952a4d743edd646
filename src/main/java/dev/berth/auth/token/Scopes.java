package dev.berth.auth.token;

import dev.berth.auth.Access;
import dev.berth.auth.Action;
import dev.berth.oci.InvalidNameException;
import dev.berth.oci.RepositoryName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code scope} parameters of a token request (spec/auth/scope.md): {@code type:name:action[,action]},
 * several per parameter when separated by spaces. The name may itself hold a colon (a registry host with a
 * port), so the type ends at the first colon and the actions start after the last. Scopes that do not parse,
 * resources other than repositories, the catalog and Berth's administration, repository names outside the grammar
 * and unknown actions are dropped, not refused: a token request never fails for what it asks, it is only granted
 * less. {@code *} on a repository asks for each of its actions, so that rules granting them one by one grant it.
 */
final class Scopes {

    /** A type with its deprecated class, {@code repository(plugin)}, which distribution treats as the type. */
    private static final Pattern SCOPE = Pattern.compile("([a-z0-9]+)(?:\\([a-z0-9]+\\))?:(.+):([a-z*,]*)");

    private Scopes() {
    }

    /** The accesses asked for, one per resource, in the order first asked. */
    static List<Access> parse(List<String> parameters) {
        List<Access> parsed = new ArrayList<>();
        for (String parameter : parameters) {
            for (String scope : parameter.split(" ")) {
                parse(scope).ifPresent(parsed::add);
            }
        }
        return merged(parsed);
    }

    /** One access per resource, with the actions of all that name it, in the order first named. */
    static List<Access> merged(List<Access> accesses) {
        Map<String, Access> byResource = new LinkedHashMap<>();
        for (Access access : accesses) {
            byResource.merge(access.type() + ":" + access.name(), access,
                    (a, b) -> new Access(a.type(), a.name(), union(a.actions(), b.actions())));
        }
        return List.copyOf(byResource.values());
    }

    private static Optional<Access> parse(String scope) {
        Matcher m = SCOPE.matcher(scope);
        if (!m.matches()) {
            return Optional.empty();
        }
        String type = m.group(1);
        String name = m.group(2);
        boolean repository = type.equals(Access.REPOSITORY);
        boolean known = repository ? isRepositoryName(name) : type.equals(Access.REGISTRY)
                && (name.equals(Access.catalog().name()) || name.equals(Access.admin().name()));
        if (!known) {
            return Optional.empty();
        }
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (String action : m.group(3).split(",")) {
            Action.byScopeName(action).ifPresent(actions::add);
        }
        if (repository && actions.remove(Action.ALL)) {
            actions.addAll(EnumSet.of(Action.PULL, Action.PUSH, Action.DELETE));
        }
        return actions.isEmpty() ? Optional.empty() : Optional.of(new Access(type, name, actions));
    }

    private static boolean isRepositoryName(String name) {
        try {
            RepositoryName.parse(name);
            return true;
        } catch (InvalidNameException e) {
            return false;
        }
    }

    private static Set<Action> union(Set<Action> a, Set<Action> b) {
        Set<Action> union = EnumSet.noneOf(Action.class);
        union.addAll(a);
        union.addAll(b);
        return union;
    }
}
