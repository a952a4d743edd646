package dev.berth.auth.token;

import static dev.berth.auth.token.TestKeys.ISSUER;
import static dev.berth.auth.token.TestKeys.NOW;
import static dev.berth.auth.token.TestKeys.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.auth.Access;
import dev.berth.auth.AccessRule;
import dev.berth.auth.AccessRules;
import dev.berth.auth.Action;
import dev.berth.auth.AuthRequest;
import dev.berth.auth.AuthenticationRequiredException;
import dev.berth.auth.Authenticator;
import dev.berth.auth.RepositoryGlob;
import io.jsonwebtoken.Jwts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenIssuerTest {

    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** Knows one password per user: the user's name reversed. */
    private static final Authenticator USERS = request -> request.authorization().map(header -> {
        String[] credentials = header.split(":");
        if (!new StringBuilder(credentials[0]).reverse().toString().equals(credentials[1])) {
            throw new AuthenticationRequiredException("Basic realm=\"test\"", "invalid user name or password");
        }
        return credentials[0];
    });
    /** Everyone pulls {@code public/**}; users own {@code <user>/**}; admins do everything. */
    private static final AccessRules RULES = new AccessRules(List.of(
            new AccessRule(Set.of("*"), List.of(new RepositoryGlob("${user}/**")), Set.of(Action.ALL)),
            new AccessRule(Set.of("*", "anonymous"), List.of(new RepositoryGlob("public/**")), Set.of(Action.PULL))),
            Map.of(), Set.of("root"));

    @TempDir
    Path dir;

    private TokenIssuer issuer(SigningKey key) {
        return new TokenIssuer(key, ISSUER, SERVICE, Duration.ofMinutes(5), USERS, RULES, CLOCK);
    }

    private static AuthRequest as(String credentials) {
        return new AuthRequest(Optional.ofNullable(credentials), "192.0.2.1", "http://registry.test");
    }

    /** What the registry makes of the token: who it is for and what it grants. */
    private VerifiedToken verified(SigningKey key, IssuedToken token) {
        return new TokenVerifier(TrustedKeys.of(key.publicKey()), ISSUER, SERVICE, Set.of("ES256"), CLOCK)
                .verify(token.token());
    }

    @Test
    void grantsTheIntersectionOfWhatIsAskedAndWhatTheRulesAllow() {
        SigningKey key = SigningKey.readOrCreate(dir.resolve("key.pem"));
        IssuedToken token = issuer(key).issue(as("alice:ecila"), List.of(
                "repository:alice/app:pull,push,delete",
                "repository:public/base:pull,push repository:bob/secret:pull",
                "registry:catalog:*"));
        VerifiedToken verified = verified(key, token);
        assertThat(verified.subject()).contains("alice");
        assertThat(verified.access()).containsExactly(
                Access.repository("alice/app", Set.of(Action.PULL, Action.PUSH, Action.DELETE)),
                Access.repository("public/base", Set.of(Action.PULL)),
                Access.catalog());
        assertThat(token.expiresIn()).isEqualTo(Duration.ofMinutes(5));
        assertThat(token.issuedAt()).isEqualTo(NOW);
    }

    @Test
    void grantsEachActionOfAStarOnARepositoryAndTheAdministrationToAdministrators() {
        SigningKey key = SigningKey.readOrCreate(dir.resolve("key.pem"));
        AccessRules oneByOne = new AccessRules(List.of(new AccessRule(Set.of("*"),
                List.of(new RepositoryGlob("${user}/**")), Set.of(Action.PULL, Action.PUSH))), Map.of(), Set.of("root"));
        TokenIssuer issuer = new TokenIssuer(key, ISSUER, SERVICE, Duration.ofMinutes(5), USERS, oneByOne, CLOCK);

        assertThat(verified(key, issuer.issue(as("bob:bob"), List.of("repository:bob/app:*", "registry:admin:*")))
                .access()).containsExactly(Access.repository("bob/app", Set.of(Action.PULL, Action.PUSH)));
        assertThat(verified(key, issuer.issue(as("root:toor"), List.of("registry:admin:*"))).access())
                .containsExactly(Access.admin());
    }

    @Test
    void givesAnonymousCallersWhatTheRulesGiveAnonymous() {
        SigningKey key = SigningKey.readOrCreate(dir.resolve("key.pem"));
        IssuedToken token = issuer(key).issue(as(null), List.of("repository:public/base:pull,push",
                "repository:alice/app:pull"));
        VerifiedToken verified = verified(key, token);
        assertThat(verified.subject()).isEmpty();
        assertThat(verified.access()).containsExactly(Access.repository("public/base", Set.of(Action.PULL)));
    }

    @Test
    void issuesATokenWithoutScopesForALogin() {
        SigningKey key = SigningKey.readOrCreate(dir.resolve("key.pem"));
        VerifiedToken verified = verified(key, issuer(key).issue(as("root:toor"), List.of()));
        assertThat(verified.subject()).contains("root");
        assertThat(verified.access()).isEmpty();
    }

    @Test
    void refusesWrongCredentials() {
        SigningKey key = SigningKey.readOrCreate(dir.resolve("key.pem"));
        assertThatThrownBy(() -> issuer(key).issue(as("alice:wrong"), List.of("repository:alice/app:pull")))
                .isInstanceOf(AuthenticationRequiredException.class);
    }

    @Test
    void dropsScopesItCannotReadInsteadOfFailing() {
        SigningKey key = SigningKey.readOrCreate(dir.resolve("key.pem"));
        IssuedToken token = issuer(key).issue(as("root:toor"), List.of("", " ", "repository", "repository:",
                "repository::pull", "repository:Alice/App:pull", "repository:alice/../etc:pull",
                "repository:alice/app:fly", "repository:alice/app:pull\"", "repository:\"alice\":pull",
                "REPOSITORY:alice/app:pull", "repository:alice/app:pull,,push,", "repository(plugin):alice/plug:pull",
                "registry:catalog:*", "repository:localhost:5000/alice/app:pull", "\u0000:\u0000:\u0000",
                "x".repeat(10_000) + ":a:pull"));
        assertThat(verified(key, token).access()).containsExactly(
                Access.repository("alice/app", Set.of(Action.PULL, Action.PUSH)),
                Access.repository("alice/plug", Set.of(Action.PULL)),
                Access.catalog());
    }

    @Test
    void signsWithAConfiguredKeyOfAnyKind() throws Exception {
        for (var pair : List.of(TestKeys.rsa(), TestKeys.ed25519())) {
            Path file = dir.resolve(pair.getPrivate().getAlgorithm() + ".pem");
            java.nio.file.Files.writeString(file, TestKeys.pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            SigningKey key = SigningKey.read(file);
            IssuedToken token = issuer(key).issue(as("bob:bob"), List.of("repository:bob/app:pull"));
            assertThat(Jwts.parser().verifyWith(pair.getPublic()).clock(() -> java.util.Date.from(NOW)).build()
                    .parseSignedClaims(token.token()).getPayload().getSubject()).isEqualTo("bob");
        }
    }
}
