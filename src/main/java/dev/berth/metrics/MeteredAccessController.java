package dev.berth.metrics;

import dev.berth.auth.Access;
import dev.berth.auth.AccessController;
import dev.berth.auth.AccessDeniedException;
import dev.berth.auth.AuthRequest;
import dev.berth.auth.AuthenticationRequiredException;
import dev.berth.auth.Principal;
import java.util.List;

/**
 * Counts authentication failures: credentials that were sent and refused, and access denied. A request without
 * credentials that gets a challenge is how every client starts, not a failure.
 */
public final class MeteredAccessController implements AccessController {

    private final AccessController controller;
    private final Metrics metrics;

    public MeteredAccessController(AccessController controller, Metrics metrics) {
        this.controller = controller;
        this.metrics = metrics;
    }

    @Override
    public Principal authorize(AuthRequest request, List<Access> requested) {
        try {
            return controller.authorize(request, requested);
        } catch (AuthenticationRequiredException e) {
            if (request.authorization().isPresent()) {
                metrics.authFailures.labelValues("invalid_credentials").inc();
            }
            throw e;
        } catch (AccessDeniedException e) {
            metrics.authFailures.labelValues("denied").inc();
            throw e;
        }
    }
}
