package dev.berth.jmh;

import dev.berth.auth.Access;
import dev.berth.auth.Action;
import dev.berth.auth.AuthRequest;
import dev.berth.auth.Permissions;
import dev.berth.auth.Principal;
import dev.berth.auth.token.BearerChallenge;
import dev.berth.auth.token.TokenAccessController;
import dev.berth.auth.token.TokenVerifier;
import dev.berth.auth.token.TrustedKeys;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Bearer authentication of a request whose ES256 token verified before: what every request of a client using
 * token auth costs after its first (a hash of the token and a cache lookup instead of checking the signature).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenVerificationBenchmark {

    private static final List<Access> PULL = List.of(Access.repository("team/app", Set.of(Action.PULL)));

    private TokenAccessController controller;
    private AuthRequest request;

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair key = generator.generateKeyPair();
        controller = new TokenAccessController(
                new TokenVerifier(TrustedKeys.of(key.getPublic()), "bench", "registry", Set.of("ES256"),
                        Clock.systemUTC()),
                new BearerChallenge("https://auth.bench/token", "registry"), user -> Permissions.ALL);
        Instant now = Instant.now();
        String token = Jwts.builder().header().jwk(Jwks.builder().key(key.getPublic()).build()).and()
                .issuer("bench").subject("alice").audience().single("registry")
                .issuedAt(Date.from(now)).expiration(Date.from(now.plus(Duration.ofHours(1))))
                .claim("access", List.of(Map.of("type", "repository", "name", "team/app", "actions", List.of("pull"))))
                .signWith(key.getPrivate()).compact();
        request = new AuthRequest(Optional.of("Bearer " + token), "127.0.0.1", "http://127.0.0.1:5000");
        controller.authorize(request, PULL);
    }

    @Benchmark
    public Principal rememberedToken() {
        return controller.authorize(request, PULL);
    }
}
