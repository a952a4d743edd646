package dev.berth.auth.token;

import static dev.berth.auth.token.TestKeys.ISSUER;
import static dev.berth.auth.token.TestKeys.NOW;
import static dev.berth.auth.token.TestKeys.SERVICE;
import static dev.berth.auth.token.TestKeys.claims;
import static dev.berth.auth.token.TestKeys.grant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.auth.Access;
import dev.berth.auth.Action;
import dev.berth.auth.AuthRequest;
import dev.berth.auth.AuthenticationRequiredException;
import dev.berth.auth.MutableClock;
import dev.berth.auth.Permissions;
import dev.berth.auth.Principal;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenAccessControllerTest {

    private static final Set<String> ALGORITHMS = Set.of("EdDSA", "RS256", "PS256", "ES256");
    private static final List<Access> PULL = List.of(Access.repository("team/app", Set.of(Action.PULL)));
    private static final List<Access> PUSH = List.of(Access.repository("team/app", Set.of(Action.PULL, Action.PUSH)));

    private static final KeyPair EC = TestKeys.ec();
    private static final KeyPair RSA = TestKeys.rsa();
    private static final KeyPair ED25519 = TestKeys.ed25519();
    private static final KeyPair ROOT = TestKeys.ec();
    private static final KeyPair ATTACKER = TestKeys.ec();

    @TempDir
    static Path dir;

    private static TokenAccessController controller;

    @BeforeAll
    static void trustTheTestKeys() throws Exception {
        Path bundle = TestKeys.writePem(dir.resolve("bundle.pem"), TestKeys.selfSigned(EC), TestKeys.selfSigned(RSA),
                TestKeys.selfSigned(ED25519), TestKeys.certificate("root", ROOT.getPublic(), "root", ROOT.getPrivate(),
                        true));
        controller = controller(TrustedKeys.fromCertificateBundle(bundle), ALGORITHMS);
    }

    private static TokenAccessController controller(TrustedKeys keys, Set<String> algorithms) {
        return new TokenAccessController(new TokenVerifier(keys, ISSUER, SERVICE, algorithms,
                Clock.fixed(NOW, ZoneOffset.UTC)), new BearerChallenge("https://auth.test/token", SERVICE),
                user -> Permissions.ALL);
    }

    private static AuthRequest bearer(String token) {
        return new AuthRequest(Optional.of("Bearer " + token), "192.0.2.1", "http://registry.test");
    }

    private static String pullToken(KeyPair key) {
        return claims("alice", List.of(grant("repository", "team/app", "pull")))
                .header().keyId(KeyIds.libtrust(key.getPublic())).and()
                .signWith(key.getPrivate()).compact();
    }

    /** The challenge of the 401 that {@code request} gets. */
    private static String challengeFor(AuthRequest request, List<Access> requested) {
        try {
            controller.authorize(request, requested);
        } catch (AuthenticationRequiredException e) {
            return e.challenge();
        }
        throw new AssertionError("the request was authorized");
    }

    static Stream<Arguments> signatures() {
        return Stream.of(Arguments.of(EC, Jwts.SIG.ES256), Arguments.of(RSA, Jwts.SIG.RS256),
                Arguments.of(RSA, Jwts.SIG.PS256), Arguments.of(ED25519, Jwts.SIG.EdDSA));
    }

    @ParameterizedTest
    @MethodSource("signatures")
    void acceptsTokensSignedByATrustedKeyWithEachAlgorithm(KeyPair key, SignatureAlgorithm algorithm) {
        String token = claims("alice", List.of(grant("repository", "team/app", "pull")))
                .header().keyId(KeyIds.libtrust(key.getPublic())).and()
                .signWith(key.getPrivate(), algorithm).compact();
        Principal principal = controller.authorize(bearer(token), PULL);
        assertThat(principal.user()).contains("alice");
        assertThat(principal.permissions().allows(PULL.getFirst())).isTrue();
        assertThat(principal.permissions().allows(PUSH.getFirst())).isFalse();
    }

    @Test
    void findsTheKeyByThumbprintJwkHeaderOrCertificateChain() throws Exception {
        String byThumbprint = claims("alice", List.of()).header().keyId(KeyIds.thumbprint(EC.getPublic())).and()
                .signWith(EC.getPrivate()).compact();
        String byJwk = claims("alice", List.of()).header().jwk(Jwks.builder().key(EC.getPublic()).build()).and()
                .signWith(EC.getPrivate()).compact();
        KeyPair leaf = TestKeys.ec();
        X509Certificate leafCertificate = TestKeys.certificate("leaf", leaf.getPublic(), "root", ROOT.getPrivate(),
                false);
        String byChain = claims("alice", List.of()).header().x509Chain(List.of(leafCertificate)).and()
                .signWith(leaf.getPrivate()).compact();
        String bySelfSignedCertificate = claims("alice", List.of())
                .header().x509Chain(List.of(TestKeys.selfSigned(RSA))).and().signWith(RSA.getPrivate()).compact();
        for (String token : List.of(byThumbprint, byJwk, byChain, bySelfSignedCertificate)) {
            assertThat(controller.authorize(bearer(token), List.of()).user()).contains("alice");
        }
    }

    @Test
    void trustsTheKeysOfAJwksFileByTheirKid() throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, "{\"keys\":[" + Jwks.json(Jwks.builder().key(ATTACKER.getPublic()).id("k1").build())
                + "]}");
        TokenAccessController withJwks = controller(TrustedKeys.fromJwks(jwks), ALGORITHMS);
        String token = claims("bob", List.of()).header().keyId("k1").and().signWith(ATTACKER.getPrivate()).compact();
        assertThat(withJwks.authorize(bearer(token), List.of()).user()).contains("bob");
    }

    @Test
    void asksForATokenWithTheScopesTheRequestNeeds() {
        assertThat(challengeFor(new AuthRequest(Optional.empty(), "192.0.2.1", "http://registry.test"), PUSH))
                .isEqualTo("Bearer realm=\"https://auth.test/token\",service=\"test-registry\","
                        + "scope=\"repository:team/app:pull,push\"");
        assertThat(challengeFor(new AuthRequest(Optional.of("Basic YTpi"), "192.0.2.1", "http://x"), List.of()))
                .isEqualTo("Bearer realm=\"https://auth.test/token\",service=\"test-registry\"");
        List<Access> mount = List.of(Access.repository("team/app", Set.of(Action.PULL, Action.PUSH)),
                Access.repository("other/base", Set.of(Action.PULL)));
        assertThat(challengeFor(bearer(pullToken(EC)), mount))
                .isEqualTo("Bearer realm=\"https://auth.test/token\",service=\"test-registry\","
                        + "scope=\"repository:team/app:pull,push repository:other/base:pull\","
                        + "error=\"insufficient_scope\"");
    }

    @Test
    void pointsARelativeRealmBackAtTheServerTheClientAddressed() {
        TokenAccessController own = new TokenAccessController(
                new TokenVerifier(TrustedKeys.of(EC.getPublic()), ISSUER, SERVICE, ALGORITHMS, Clock.systemUTC()),
                new BearerChallenge("/auth/token", "my \"registry\""), user -> Permissions.ALL);
        assertThatThrownBy(() -> own.authorize(new AuthRequest(Optional.empty(), "192.0.2.1",
                "https://registry.example:5443"), List.of()))
                .isInstanceOfSatisfying(AuthenticationRequiredException.class, e -> assertThat(e.challenge())
                        .isEqualTo("Bearer realm=\"https://registry.example:5443/auth/token\","
                                + "service=\"my \\\"registry\\\"\""));
    }

    @Test
    void grantsEveryActionForAStarAndTheCatalogForRegistryCatalogStar() {
        String token = claims("admin", List.of(grant("repository", "team/app", "*"),
                grant("registry", "catalog", "*"))).header().keyId(KeyIds.libtrust(EC.getPublic())).and()
                .signWith(EC.getPrivate()).compact();
        Principal principal = controller.authorize(bearer(token), List.of(Access.catalog()));
        assertThat(principal.permissions().allows(Access.repository("team/app",
                Set.of(Action.PULL, Action.PUSH, Action.DELETE)))).isTrue();
        assertThat(principal.permissions().allows(Access.repository("team/other", Set.of(Action.PULL)))).isFalse();
        assertThat(principal.permissions().listsInCatalog("team/other"))
                .as("an outside token service's catalog scope shows everything, as in distribution").isTrue();
    }

    static Stream<String> untrustworthyTokens() throws Exception {
        String header = "{\"alg\":\"ES256\",\"kid\":\"" + KeyIds.libtrust(EC.getPublic()) + "\"}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + SERVICE + "\",\"sub\":\"alice\",\"exp\":"
                + NOW.plusSeconds(300).getEpochSecond() + ",\"access\":[{\"type\":\"repository\","
                + "\"name\":\"team/app\",\"actions\":[\"pull\"]}]}";
        String valid = pullToken(EC);
        String[] parts = valid.split("\\.");
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(EC.getPublic().getEncoded(), "HmacSHA256"));
        String hs256Header = "{\"alg\":\"HS256\",\"kid\":\"" + KeyIds.libtrust(EC.getPublic()) + "\"}";
        String unsigned = TestKeys.raw(hs256Header, claims, new byte[0]);
        byte[] confusedSignature = hmac.doFinal(unsigned.substring(0, unsigned.length() - 1)
                .getBytes(StandardCharsets.US_ASCII));
        KeyPair untrustedRoot = TestKeys.ec();
        KeyPair leaf = TestKeys.ec();
        return Stream.of(
                // time and audience
                claims("alice", List.of()).expiration(Date.from(NOW.minus(Duration.ofMinutes(2))))
                        .header().keyId(KeyIds.libtrust(EC.getPublic())).and().signWith(EC.getPrivate()).compact(),
                claims("alice", List.of()).notBefore(Date.from(NOW.plus(Duration.ofMinutes(5))))
                        .header().keyId(KeyIds.libtrust(EC.getPublic())).and().signWith(EC.getPrivate()).compact(),
                claims("alice", List.of()).expiration(null)
                        .header().keyId(KeyIds.libtrust(EC.getPublic())).and().signWith(EC.getPrivate()).compact(),
                claims("alice", List.of()).audience().single("another-registry")
                        .header().keyId(KeyIds.libtrust(EC.getPublic())).and().signWith(EC.getPrivate()).compact(),
                claims("alice", List.of()).issuer("someone-else")
                        .header().keyId(KeyIds.libtrust(EC.getPublic())).and().signWith(EC.getPrivate()).compact(),
                // keys and signatures
                claims("alice", List.of()).header().keyId(KeyIds.libtrust(EC.getPublic())).and()
                        .signWith(ATTACKER.getPrivate()).compact(),
                claims("alice", List.of()).header().keyId(KeyIds.libtrust(ATTACKER.getPublic())).and()
                        .signWith(ATTACKER.getPrivate()).compact(),
                claims("alice", List.of()).signWith(EC.getPrivate()).compact(),
                claims("alice", List.of()).header().jwk(Jwks.builder().key(ATTACKER.getPublic()).build()).and()
                        .signWith(ATTACKER.getPrivate()).compact(),
                claims("alice", List.of()).header().x509Chain(List.of(TestKeys.certificate("leaf", leaf.getPublic(),
                        "untrusted", untrustedRoot.getPrivate(), false))).and().signWith(leaf.getPrivate()).compact(),
                parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims
                        .replace("pull", "push").getBytes(StandardCharsets.UTF_8)) + "." + parts[2],
                TestKeys.raw("{\"alg\":\"none\"}", claims, new byte[0]),
                TestKeys.raw("{\"alg\":\"none\",\"kid\":\"x\"}", claims, new byte[] {1, 2, 3}),
                TestKeys.raw(hs256Header, claims, confusedSignature),
                TestKeys.raw(header.replace("ES256", "RS384"), claims, new byte[64]),
                // malformed
                claims("alice", List.of()).claim("access", "repository:team/app:pull")
                        .header().keyId(KeyIds.libtrust(EC.getPublic())).and().signWith(EC.getPrivate()).compact(),
                claims("alice", List.of()).claim("access", List.of("repository:team/app:pull"))
                        .header().keyId(KeyIds.libtrust(EC.getPublic())).and().signWith(EC.getPrivate()).compact(),
                TestKeys.raw("{\"alg\":\"ES256\",\"kid\":5}", claims, new byte[64]),
                TestKeys.raw("{\"alg\":\"ES256\",\"x5c\":\"not a list\"}", claims, new byte[64]),
                TestKeys.raw("{\"alg\":\"ES256\",\"x5c\":[\"bm90IGEgY2VydA==\"]}", claims, new byte[64]),
                TestKeys.raw("[]", claims, new byte[64]),
                TestKeys.raw(header, "[1,2]", new byte[64]),
                TestKeys.raw(header, "not json", new byte[64]),
                "abc", "a.b", "a.b.c", "..", "a.b.c.d.e", "a.b.c.d", parts[0] + ".!!!." + parts[2],
                parts[0] + "." + parts[1], valid + ".", valid.replace('.', ' '), "\u00fcn\u00efc\u00f6d\u00e9.x.y",
                "eyJ\u0000.\u0007.\r", "A".repeat(60_000) + "." + "B".repeat(60_000) + ".C");
    }

    @ParameterizedTest
    @MethodSource("untrustworthyTokens")
    void refusesUntrustworthyTokensWith401AndInvalidToken(String token) {
        assertThatThrownBy(() -> controller.authorize(bearer(token), PULL))
                .isInstanceOfSatisfying(AuthenticationRequiredException.class, e -> {
                    assertThat(e.challenge()).endsWith(",error=\"invalid_token\"")
                            .contains("scope=\"repository:team/app:pull\"");
                    assertThat(e.getMessage()).startsWith("invalid token").doesNotContain(token);
                });
    }

    @Test
    void toleratesAMinuteOfClockSkew() {
        String justExpired = claims("alice", List.of()).expiration(Date.from(NOW.minusSeconds(30)))
                .notBefore(Date.from(NOW.plusSeconds(30)))
                .header().keyId(KeyIds.libtrust(EC.getPublic())).and().signWith(EC.getPrivate()).compact();
        assertThat(controller.authorize(bearer(justExpired), List.of()).user()).contains("alice");
    }

    @Test
    void remembersAVerifiedTokenOnlyUntilItExpires() {
        MutableClock clock = new MutableClock(NOW);
        TokenAccessController remembering = new TokenAccessController(new TokenVerifier(TrustedKeys.of(EC.getPublic()),
                ISSUER, SERVICE, ALGORITHMS, clock), new BearerChallenge("https://auth.test/token", SERVICE),
                user -> Permissions.ALL);
        // expires in 5 minutes, and a minute of leeway follows
        AuthRequest request = bearer(pullToken(EC));
        assertThat(remembering.authorize(request, PULL).user()).contains("alice");
        clock.advance(Duration.ofMinutes(5));
        assertThat(remembering.authorize(request, PULL).user()).contains("alice");
        clock.advance(Duration.ofSeconds(61));
        assertThatThrownBy(() -> remembering.authorize(request, PULL))
                .isInstanceOfSatisfying(AuthenticationRequiredException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("invalid token: expired"));
    }

    @Test
    void acceptsOnlyTheConfiguredAlgorithms() {
        TokenAccessController esOnly = controller(TrustedKeys.of(RSA.getPublic()), Set.of("ES256"));
        String rs256 = claims("alice", List.of()).header().keyId(KeyIds.libtrust(RSA.getPublic())).and()
                .signWith(RSA.getPrivate()).compact();
        assertThatThrownBy(() -> esOnly.authorize(bearer(rs256), List.of()))
                .isInstanceOf(AuthenticationRequiredException.class);
        assertThatThrownBy(() -> controller(TrustedKeys.none(), Set.of("HS256")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer    ", "bearer", "Token abc", "Basic YWxpY2U6cHc="})
    void asksForATokenWhenTheHeaderHoldsNone(String header) {
        assertThat(challengeFor(new AuthRequest(Optional.of(header), "192.0.2.1", "http://x"), PULL))
                .doesNotContain("error=");
    }

    @Test
    void acceptsTheSchemeInAnyCase() {
        String token = pullToken(EC);
        assertThat(controller.authorize(new AuthRequest(Optional.of("bEaReR " + token), "192.0.2.1", "http://x"),
                PULL).user()).contains("alice");
    }
}
