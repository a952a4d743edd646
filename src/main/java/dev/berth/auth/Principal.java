package dev.berth.auth;

import java.util.Optional;

/** Who is calling (a named user, or nobody in particular) and what they may do. */
public record Principal(Optional<String> user, Permissions permissions) {

    /** Everyone, when no authentication is configured. */
    public static final Principal UNRESTRICTED = new Principal(Optional.empty(), Permissions.ALL);

    /** A caller not authenticated (yet), who may do nothing: whoever asks the token endpoint for credentials. */
    public static final Principal NOBODY = new Principal(Optional.empty(), Permissions.NONE);
}
