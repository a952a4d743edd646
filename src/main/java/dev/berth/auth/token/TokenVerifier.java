package dev.berth.auth.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.berth.auth.Access;
import dev.berth.auth.Action;
import dev.berth.oci.Digest;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.InvalidClaimException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.ProtectedHeader;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import io.jsonwebtoken.security.SignatureAlgorithm;
import io.jsonwebtoken.security.SignatureException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies bearer tokens as distribution does (spec/auth/jwt.md, "Verifying the token"): a signature by a
 * trusted key (found through the {@code x5c} chain, else the {@code jwk} header, else {@code kid}), with one of
 * the accepted algorithms and never {@code none}; {@code iss} the configured issuer; {@code aud} the service;
 * {@code exp} present and {@code nbf}, if any, both within a leeway of {@link #LEEWAY_SECONDS}. A client sends the
 * same token with every request until it expires, and checking a signature costs a few hundred microseconds
 * (ES256, EdDSA), so a token that verified is remembered, by the SHA-256 of its text, until it expires or for
 * {@link #REMEMBER} at most. Thread-safe.
 */
public final class TokenVerifier {

    /** Distribution's leeway for clocks that disagree. */
    static final long LEEWAY_SECONDS = 60;

    /**
     * How long a verified token is trusted without a second look: a bound on how late the end of a signing
     * certificate's validity is noticed (the token's own expiry is always checked).
     */
    static final Duration REMEMBER = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

    private final JwtParser parser;
    private final Clock clock;
    /**
     * Weighed in rough bytes of heap, the access a token grants above all: a count let tokens granting a few
     * hundred repositories each, which any user can ask the token service for, fill the launcher's heap.
     */
    private final Cache<String, Remembered> verified = Caffeine.newBuilder()
            .expireAfterWrite(REMEMBER)
            .maximumWeight(4L << 20)
            .weigher((String key, Remembered remembered) -> remembered.weight())
            .build();

    private record Remembered(VerifiedToken token, Instant expiry) {

        int weight() {
            return 300 + token.access().stream().mapToInt(access -> 150 + 2 * access.name().length()).sum();
        }
    }

    /**
     * @param algorithms the JWA names ({@code ES256}, {@code EdDSA}...) of the algorithms signatures may use
     * @throws IllegalArgumentException for a name that is no public-key signature algorithm
     */
    public TokenVerifier(TrustedKeys keys, String issuer, String audience, Set<String> algorithms, Clock clock) {
        List<SecureDigestAlgorithm<?, ?>> accepted = new ArrayList<>();
        for (String name : algorithms) {
            // HMAC would need a shared secret, and none would mean no signature at all
            if (!(Jwts.SIG.get().get(name) instanceof SignatureAlgorithm algorithm)) {
                throw new IllegalArgumentException("not a public-key signature algorithm: " + name);
            }
            accepted.add(algorithm);
        }
        this.clock = clock;
        this.parser = Jwts.parser()
                .sig().clear().add(accepted).and()
                .keyLocator(new LocatorAdapter<Key>() {
                    @Override
                    protected Key locate(ProtectedHeader header) {
                        return signingKey(keys, header, clock);
                    }
                })
                .requireIssuer(issuer)
                .requireAudience(audience)
                .clockSkewSeconds(LEEWAY_SECONDS)
                .clock(() -> Date.from(clock.instant()))
                .build();
    }

    /**
     * @throws InvalidTokenException when the token cannot be trusted, whatever is wrong with it
     */
    VerifiedToken verify(String token) {
        String key = fingerprint(token);
        Remembered seen = verified.getIfPresent(key);
        // the parser's own test of exp: expired once the leeway too is past
        if (seen != null && !clock.instant().isAfter(seen.expiry().plusSeconds(LEEWAY_SECONDS))) {
            return seen.token();
        }
        Claims claims;
        try {
            claims = parser.parseSignedClaims(token).getPayload();
        } catch (ExpiredJwtException e) {
            throw new InvalidTokenException("expired");
        } catch (PrematureJwtException e) {
            throw new InvalidTokenException("not valid yet");
        } catch (SignatureException e) {
            throw new InvalidTokenException("bad signature");
        } catch (InvalidClaimException e) {
            throw new InvalidTokenException("wrong or missing " + e.getClaimName() + " claim");
        } catch (UnsupportedJwtException e) {
            throw new InvalidTokenException("unsigned, or signed with an algorithm not accepted");
        } catch (InvalidTokenException e) {
            throw e;
        } catch (JwtException | IllegalArgumentException e) {
            // the library's messages may quote the token, so only the kind of failure is kept
            throw new InvalidTokenException("rejected (" + e.getClass().getSimpleName() + ")");
        } catch (RuntimeException e) {
            // hostile input reaching an unforeseen corner of the parser must still fail closed, never with a 500
            LOG.warn("unexpected {} while verifying a token; refused", e.getClass().getName());
            throw new InvalidTokenException("malformed");
        }
        if (claims.getExpiration() == null) {
            throw new InvalidTokenException("no expiry (exp)");
        }
        VerifiedToken result = new VerifiedToken(
                Optional.ofNullable(claims.getSubject()).filter(s -> !s.isEmpty()), access(claims.get("access")));
        verified.put(key, new Remembered(result, claims.getExpiration().toInstant()));
        return result;
    }

    private static String fingerprint(String token) {
        return Digest.sha256(token.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Key signingKey(TrustedKeys keys, ProtectedHeader header, Clock clock) {
        if (header.getX509Chain() != null && !header.getX509Chain().isEmpty()) {
            return keys.leafOf(header.getX509Chain(), clock.instant());
        }
        if (header.getJwk() != null) {
            return keys.trusted(header.getJwk().toKey());
        }
        if (header.getKeyId() != null) {
            return keys.byId(header.getKeyId());
        }
        throw new InvalidTokenException("names no key (x5c, jwk or kid)");
    }

    /** The {@code access} claim: a list of {@code {type, name, actions}}; actions Berth does not know are dropped. */
    private static List<Access> access(Object claim) {
        if (claim == null) {
            return List.of();
        }
        if (!(claim instanceof List<?> entries)) {
            throw new InvalidTokenException("access claim is not a list");
        }
        List<Access> access = new ArrayList<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> fields && fields.get("type") instanceof String type
                    && fields.get("name") instanceof String name
                    && (fields.get("actions") == null || fields.get("actions") instanceof List<?>))) {
                throw new InvalidTokenException("malformed access claim");
            }
            Set<Action> actions = EnumSet.noneOf(Action.class);
            if (fields.get("actions") instanceof List<?> names) {
                names.stream().filter(String.class::isInstance)
                        .forEach(n -> Action.byScopeName((String) n).ifPresent(actions::add));
            }
            access.add(new Access(type, name, actions));
        }
        return access;
    }
}
