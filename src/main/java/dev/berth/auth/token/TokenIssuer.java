package dev.berth.auth.token;

import dev.berth.auth.Access;
import dev.berth.auth.AccessRules;
import dev.berth.auth.Action;
import dev.berth.auth.AuthRequest;
import dev.berth.auth.Authenticator;
import dev.berth.auth.Permissions;
import io.jsonwebtoken.Jwts;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Berth's own token service (beyond distribution): checks the caller's credentials, then issues a short-lived
 * token whose {@code access} claim holds the intersection of the scopes asked for and what the access rules
 * grant, per resource and action (spec/auth/token.md, "Requesting a Token"). Asking for more than one may have
 * is no error: the token just grants less. Callers without credentials get what the rules grant anonymous
 * callers. Thread-safe.
 */
public final class TokenIssuer {

    private static final Logger LOG = LoggerFactory.getLogger(TokenIssuer.class);

    private final SigningKey key;
    private final String issuer;
    private final String service;
    private final Duration lifetime;
    private final Authenticator users;
    private final AccessRules rules;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param issuer   {@code iss} of the tokens, which the registry checks against {@code auth.token.issuer}
     * @param service  {@code aud} of the tokens: the registry's {@code auth.token.service}
     * @param lifetime how long a token is valid; docker asks for a new one when it runs out
     */
    public TokenIssuer(SigningKey key, String issuer, String service, Duration lifetime, Authenticator users,
                       AccessRules rules, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.service = service;
        this.lifetime = lifetime;
        this.users = users;
        this.rules = rules;
        this.clock = clock;
    }

    /**
     * A token for the caller with what it may have of the {@code scope} parameters.
     *
     * @throws dev.berth.auth.AuthenticationRequiredException when credentials are offered but wrong
     */
    public IssuedToken issue(AuthRequest request, List<String> scopes) {
        Optional<String> user = users.authenticate(request);
        Permissions permissions = rules.permissionsOf(user);
        List<Access> granted = Scopes.parse(scopes).stream()
                .map(asked -> new Access(asked.type(), asked.name(), asked.actions().stream()
                        .filter(action -> permissions.allows(new Access(asked.type(), asked.name(), Set.of(action))))
                        .collect(Collectors.toSet())))
                .filter(access -> !access.actions().isEmpty())
                .toList();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String token = Jwts.builder()
                .header().type("JWT").keyId(key.keyId()).and()
                .issuer(issuer)
                .subject(user.orElse(""))
                // one string, not a list: registry:2 reads aud as a string
                .audience().single(service)
                .issuedAt(Date.from(now))
                .notBefore(Date.from(now))
                .expiration(Date.from(now.plus(lifetime)))
                .id(HexFormat.of().formatHex(nonce()))
                .claim("access", granted.stream().map(TokenIssuer::claim).toList())
                .signWith(key.privateKey())
                .compact();
        LOG.debug("issued a token to {} granting {}", user.orElse("an anonymous caller"),
                granted.stream().map(Access::scope).toList());
        return new IssuedToken(token, lifetime, now);
    }

    private byte[] nonce() {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return nonce;
    }

    private static Map<String, Object> claim(Access access) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", access.type());
        entry.put("name", access.name());
        entry.put("actions", access.actions().stream().map(Action::scopeName).sorted().toList());
        return entry;
    }
}
