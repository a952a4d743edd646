package dev.berth.auth;

import java.util.Set;

/**
 * One access a request needs, as a token scope names it: {@code repository:<name>:pull,push} or
 * {@code registry:catalog:*}.
 */
public record Access(String type, String name, Set<Action> actions) {

    public Access {
        actions = Set.copyOf(actions);
    }

    public static Access repository(String name, Set<Action> actions) {
        return new Access("repository", name, actions);
    }

    public static Access catalog() {
        return new Access("registry", "catalog", Set.of(Action.PULL));
    }
}
