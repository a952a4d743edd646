package dev.berth.auth.htpasswd;

import dev.berth.auth.Access;
import dev.berth.auth.AccessController;
import dev.berth.auth.AccessDeniedException;
import dev.berth.auth.AccessRules;
import dev.berth.auth.AuthRequest;
import dev.berth.auth.AuthenticationRequiredException;
import dev.berth.auth.FailureThrottle;
import dev.berth.auth.Permissions;
import dev.berth.auth.Principal;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distribution's {@code auth.htpasswd}: Basic credentials checked against an htpasswd file, then the access
 * rules. Missing or wrong credentials get 401 with a Basic challenge; right ones without the access get 403.
 */
public final class HtpasswdAccessController implements AccessController {

    private static final Logger LOG = LoggerFactory.getLogger(HtpasswdAccessController.class);

    private final HtpasswdAuthenticator users;
    private final AccessRules rules;

    public HtpasswdAccessController(HtpasswdFile file, String realm, AccessRules rules, FailureThrottle throttle) {
        this.users = new HtpasswdAuthenticator(file, realm, throttle);
        this.rules = rules;
    }

    @Override
    public Principal authorize(AuthRequest request, List<Access> requested) {
        Optional<String> user = users.authenticate(request);
        Permissions permissions = rules.permissionsOf(user);
        if (user.isEmpty() && (requested.isEmpty() || !requested.stream().allMatch(permissions::allows))) {
            throw new AuthenticationRequiredException(users.challenge(), "authentication required");
        }
        for (Access access : requested) {
            if (!permissions.allows(access)) {
                String name = user.orElseThrow();
                LOG.info("denied {} from {}: {}", name, request.clientAddress(), access.scope());
                throw new AccessDeniedException(name, name + " may not " + access.scope());
            }
        }
        return new Principal(user, permissions);
    }
}
