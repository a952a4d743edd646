package dev.berth.auth;

import java.util.List;

/**
 * Decides whether a request may do what it asks. The HTTP layer calls it on every request, before any
 * handler runs, with the accesses the endpoint needs (none for the {@code /v2/} version check, which still
 * demands valid credentials when authentication is on, so that {@code docker login} can test them).
 */
public interface AccessController {

    /**
     * Returns who is calling.
     *
     * @throws AuthenticationRequiredException when credentials are missing or wrong
     * @throws AccessDeniedException           when they are right but do not grant the access
     */
    Principal authorize(AuthRequest request, List<Access> requested);
}
