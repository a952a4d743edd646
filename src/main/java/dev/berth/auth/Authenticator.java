package dev.berth.auth;

import java.util.Optional;

/** Checks the credentials a request carries, as a token endpoint needs before it grants any scope. */
public interface Authenticator {

    /**
     * The user the credentials prove, or empty for a caller that offers none (anonymous).
     *
     * @throws AuthenticationRequiredException when credentials are offered but malformed or wrong
     */
    Optional<String> authenticate(AuthRequest request);
}
