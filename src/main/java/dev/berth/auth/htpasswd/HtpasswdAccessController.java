package dev.berth.auth.htpasswd;

import dev.berth.auth.Access;
import dev.berth.auth.AccessController;
import dev.berth.auth.AccessDeniedException;
import dev.berth.auth.AccessRules;
import dev.berth.auth.AuthRequest;
import dev.berth.auth.AuthenticationRequiredException;
import dev.berth.auth.BasicCredentials;
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

    private final PasswordVerifier passwords;
    private final String challenge;
    private final AccessRules rules;
    private final FailureThrottle throttle;

    public HtpasswdAccessController(HtpasswdFile file, String realm, AccessRules rules, FailureThrottle throttle) {
        this.passwords = new PasswordVerifier(file);
        this.challenge = "Basic realm=\"" + realm.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        this.rules = rules;
        this.throttle = throttle;
    }

    @Override
    public Principal authorize(AuthRequest request, List<Access> requested) {
        Optional<BasicCredentials> credentials;
        try {
            credentials = BasicCredentials.parse(request.authorization());
        } catch (IllegalArgumentException e) {
            throw new AuthenticationRequiredException(challenge, e.getMessage());
        }
        Optional<String> user = credentials.map(c -> authenticate(c, request.clientAddress()));
        Permissions permissions = rules.permissionsOf(user);
        if (user.isEmpty() && (requested.isEmpty() || !requested.stream().allMatch(permissions::allows))) {
            throw new AuthenticationRequiredException(challenge, "authentication required");
        }
        for (Access access : requested) {
            if (!permissions.allows(access)) {
                LOG.info("denied {} from {}: {}", user.orElseThrow(), request.clientAddress(), access.scope());
                throw new AccessDeniedException(user.orElseThrow() + " may not " + access.scope());
            }
        }
        return new Principal(user, permissions);
    }

    private String authenticate(BasicCredentials credentials, String client) {
        if (!passwords.verify(credentials.user(), credentials.password())) {
            throttle.failed(credentials.user(), client);
            throw new AuthenticationRequiredException(challenge, "invalid user name or password");
        }
        throttle.succeeded(credentials.user(), client);
        return credentials.user();
    }
}
