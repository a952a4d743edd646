package dev.berth.auth;

import java.util.Locale;
import java.util.Optional;

/** What a request does to a resource, in the vocabulary of distribution's token scopes. */
public enum Action {
    PULL, PUSH, DELETE,
    /** {@code *}: every action, as the catalog scope names it. */
    ALL;

    public String scopeName() {
        return this == ALL ? "*" : name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Action> byScopeName(String name) {
        for (Action action : values()) {
            if (action.scopeName().equals(name)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
