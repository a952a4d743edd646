package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.auth.AccessRule;
import dev.berth.auth.AccessRules;
import dev.berth.auth.Action;
import dev.berth.auth.FailureThrottle;
import dev.berth.auth.MutableClock;
import dev.berth.auth.RepositoryGlob;
import dev.berth.auth.htpasswd.HtpasswdAuthenticator;
import dev.berth.auth.htpasswd.HtpasswdFile;
import dev.berth.auth.token.BearerChallenge;
import dev.berth.auth.token.SigningKey;
import dev.berth.auth.token.TokenAccessController;
import dev.berth.auth.token.TokenIssuer;
import dev.berth.auth.token.TokenVerifier;
import dev.berth.auth.token.TrustedKeys;
import dev.berth.http.RegistryHandler;
import dev.berth.http.RegistryServer;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark against a Berth that wants Bearer tokens from its own token service, as distribution's
 * {@code auth.token} does from an outside one: the client follows the challenge, as docker does.
 */
class TokenAuthenticationBenchmarkTest {

    private static final Duration LIFETIME = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private RegistryServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        Path htpasswd = Files.write(dir.resolve("htpasswd"), List.of(HtpasswdFile.entry("bench", "bench-pw", 4)));
        // each user owns a namespace, as operators set it up
        AccessRules rules = new AccessRules(List.of(new AccessRule(Set.of("*"),
                List.of(new RepositoryGlob("${user}/**")), Set.of(Action.ALL))), Map.of(), Set.of());
        SigningKey key = SigningKey.readOrCreate(dir.resolve("key.pem"));
        TokenIssuer issuer = new TokenIssuer(key, "berth", "bench-test", LIFETIME,
                new HtpasswdAuthenticator(new HtpasswdFile(htpasswd, Clock.systemUTC()), "Bench Test",
                        new FailureThrottle()), rules, Clock.systemUTC());
        TokenAccessController controller = new TokenAccessController(new TokenVerifier(
                TrustedKeys.of(key.publicKey()), "berth", "bench-test", Set.of("ES256"), Clock.systemUTC()),
                new BearerChallenge("/auth/token", "bench-test"), rules::permissionsOf);
        Registry registry = Registry.over(new FilesystemDriver(dir.resolve("storage")), true, ManifestRules.NO_URLS,
                Clock.systemUTC());
        server = new RegistryServer(new InetSocketAddress("127.0.0.1", 0),
                new RegistryHandler(registry, controller, issuer));
        server.start();
        address = new InetSocketAddress("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private List<Result> run(String credentials, String namespace) {
        Options options = new Options(address, Optional.empty(), credentials, namespace, List.of(Workload.values()),
                Options.MIB + 3,
                Options.MIB, Duration.ofMillis(200), Duration.ZERO, 4, 7, 3, 2, 4096, 2);
        return new Benchmark(options, new PrintStream(new ByteArrayOutputStream())).run();
    }

    @Test
    void everyWorkloadPassesWithTokensFromTheServiceTheRegistryNames() {
        List<Result> results = run("bench:bench-pw", "bench");

        assertThat(results).hasSize(8);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.passed()).as(Report.describe(result)).isTrue();
            assertThat(result.workload()).contains(" (auth)");
        });
    }

    @Test
    void aWrongPasswordIsTheTokenServicesRefusalNotASpeed() {
        assertThat(run("bench:wrong", "bench")).singleElement().satisfies(result -> {
            assertThat(result.passed()).isFalse();
            assertThat(Report.describe(result)).contains("GET token", "401");
        });
    }

    @Test
    void outsideTheUsersNamespaceOrWithoutCredentialsNothingIsPushed() {
        for (List<Result> results : List.of(run("bench:bench-pw", ""), run("", "bench"))) {
            assertThat(results).isNotEmpty().allSatisfy(result -> assertThat(result.passed()).isFalse());
            assertThat(Report.describe(results.getFirst())).contains("POST upload", "401");
        }
    }

    @Test
    void aTokenServesItsRepositoryUntilHalfItsLifetimeHasPassed() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));
        Authorization authorization = new Authorization("bench:bench-pw", Optional.empty(), clock);
        assertThat(authorization.header(Optional.of("bench-a/x"))).contains(basic("bench:bench-pw"));
        try (HttpConnection connection = new HttpConnection(address, Optional.empty())) {
            new V2Client(authorization).base(connection);
        }

        String first = authorization.header(Optional.of("bench-a/x")).orElseThrow();
        assertThat(first).startsWith("Bearer ");
        assertThat(authorization.header(Optional.of("bench-a/x"))).contains(first);
        assertThat(authorization.header(Optional.of("bench-a/y"))).isNotEqualTo(Optional.of(first));
        clock.advance(LIFETIME.dividedBy(2).minusSeconds(1));
        assertThat(authorization.header(Optional.of("bench-a/x"))).contains(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(authorization.header(Optional.of("bench-a/x"))).isNotEqualTo(Optional.of(first));
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheChallengesParametersQuotedOrNot() {
        assertThat(TokenService.parameters(
                "realm=\"http://127.0.0.1:5000/auth/token\",service=\"a \\\"quoted\\\" name\","
                        + "scope=\"repository:a/b:pull,push repository:c:pull\", error=insufficient_scope"))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "realm", "http://127.0.0.1:5000/auth/token",
                        "service", "a \"quoted\" name",
                        "scope", "repository:a/b:pull,push repository:c:pull",
                        "error", "insufficient_scope"));
    }

    @Test
    void followsOnlyABearerChallengeToAServiceOnThisMachine() {
        assertThat(challenged("Basic realm=\"Registry\"")).isEmpty();
        assertThat(challenged("bearer realm=\"http://localhost:1/token\"")).isPresent();
        assertThat(challenged("Bearer realm=\"https://127.0.0.1/token\",service=\"x\"")).isPresent();
        assertThatThrownBy(() -> challenged("Bearer realm=\"http://192.0.2.1/token\""))
                .isInstanceOf(CheckFailedException.class).hasMessageContaining("this machine");
        assertThatThrownBy(() -> challenged("Bearer realm=\"ftp://127.0.0.1/token\""))
                .isInstanceOf(CheckFailedException.class).hasMessageContaining("this machine");
        assertThatThrownBy(() -> challenged("Bearer service=\"x\""))
                .isInstanceOf(CheckFailedException.class).hasMessageContaining("no realm");
    }

    private static Optional<TokenService> challenged(String header) {
        return TokenService.challenged(header, Optional.empty(), Optional.empty(), Clock.systemUTC());
    }
}
