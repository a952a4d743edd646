package dev.berth.auth;

import java.util.Set;

/**
 * One access a request needs, as a token scope names it: {@code repository:<name>:pull,push} or
 * {@code registry:catalog:*}.
 */
public record Access(String type, String name, Set<Action> actions) {

    public static final String REPOSITORY = "repository";
    public static final String REGISTRY = "registry";
    public static final String CATALOG = "catalog";

    public Access {
        actions = Set.copyOf(actions);
    }

    public static Access repository(String name, Set<Action> actions) {
        return new Access(REPOSITORY, name, actions);
    }

    public static Access catalog() {
        return new Access(REGISTRY, CATALOG, Set.of(Action.ALL));
    }

    /** Berth's administration endpoints (garbage collection, deleting repositories): administrators only. */
    public static Access admin() {
        return new Access(REGISTRY, "admin", Set.of(Action.ALL));
    }

    /** The scope string of a token request or challenge: {@code type:name:action,action}. */
    public String scope() {
        return type + ":" + name + ":" + String.join(",", actions.stream().map(Action::scopeName).sorted().toList());
    }
}
