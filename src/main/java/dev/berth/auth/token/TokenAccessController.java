package dev.berth.auth.token;

import dev.berth.auth.Access;
import dev.berth.auth.AccessController;
import dev.berth.auth.AuthRequest;
import dev.berth.auth.AuthenticationRequiredException;
import dev.berth.auth.Permissions;
import dev.berth.auth.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distribution's {@code auth.token}: requests carry a bearer token from a token service, verified with the
 * trusted keys alone. Every refusal is a 401 with a Bearer challenge naming the scopes the request needs, so
 * the client knows what to ask the token service for: no token; an invalid one ({@code error="invalid_token"});
 * or one without the scope ({@code error="insufficient_scope"}, where docker expects 401 rather than 403).
 */
public final class TokenAccessController implements AccessController {

    private static final Logger LOG = LoggerFactory.getLogger(TokenAccessController.class);
    private static final String SCHEME = "bearer ";

    private final TokenVerifier verifier;
    private final BearerChallenge challenge;
    private final Function<Optional<String>, Permissions> catalogView;

    /**
     * @param catalogView what the catalog shows a token's subject, once the token grants
     *                    {@code registry:catalog:*}: everything for an outside token service (what distribution
     *                    shows), the access rules when Berth issued the token itself
     */
    public TokenAccessController(TokenVerifier verifier, BearerChallenge challenge,
                                 Function<Optional<String>, Permissions> catalogView) {
        this.verifier = verifier;
        this.challenge = challenge;
        this.catalogView = catalogView;
    }

    @Override
    public Principal authorize(AuthRequest request, List<Access> requested) {
        String token = request.authorization()
                .filter(header -> header.length() > SCHEME.length()
                        && header.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME))
                .map(header -> header.substring(SCHEME.length()).strip())
                .filter(value -> !value.isEmpty())
                .orElseThrow(() -> refusal(request, requested, Optional.empty(), "authorization token required"));
        VerifiedToken verified;
        try {
            verified = verifier.verify(token);
        } catch (InvalidTokenException e) {
            LOG.debug("refused a bearer token from {}: {}", request.clientAddress(), e.getMessage());
            throw refusal(request, requested, Optional.of(BearerChallenge.Error.INVALID_TOKEN),
                    "invalid token: " + e.getMessage());
        }
        Permissions permissions = new TokenPermissions(verified.access(),
                catalogView.apply(verified.subject())::listsInCatalog);
        for (Access access : requested) {
            if (!permissions.allows(access)) {
                throw refusal(request, requested, Optional.of(BearerChallenge.Error.INSUFFICIENT_SCOPE),
                        "the token does not grant " + access.scope());
            }
        }
        return new Principal(verified.subject(), permissions);
    }

    private AuthenticationRequiredException refusal(AuthRequest request, List<Access> requested,
                                                    Optional<BearerChallenge.Error> error, String message) {
        return new AuthenticationRequiredException(challenge.header(request.origin(), requested, error), message);
    }
}
