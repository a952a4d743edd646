package dev.berth.auth;

import java.util.List;
import java.util.Optional;

/**
 * Decides whether a request may do what it asks. The HTTP layer calls it on every request, before any
 * handler runs, with the {@code Authorization} header and the accesses the endpoint needs.
 */
public interface AccessController {

    /** Returns who is calling, or throws when the credentials are missing, wrong or not enough. */
    Principal authorize(Optional<String> authorization, List<Access> requested);
}
