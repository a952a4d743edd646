package dev.berth.auth;

import java.util.Optional;

/** Who is calling: a named user, or nobody in particular. */
public record Principal(Optional<String> user) {

    public static final Principal ANONYMOUS = new Principal(Optional.empty());
}
