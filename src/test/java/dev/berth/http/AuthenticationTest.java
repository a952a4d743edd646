package dev.berth.http;

import static dev.berth.http.ErrorEnvelope.assertError;
import static dev.berth.http.TestRegistry.header;
import static dev.berth.http.TestRegistry.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.berth.auth.AccessRule;
import dev.berth.auth.AccessRules;
import dev.berth.auth.Action;
import dev.berth.auth.FailureThrottle;
import dev.berth.auth.RepositoryGlob;
import dev.berth.auth.htpasswd.HtpasswdAccessController;
import dev.berth.auth.htpasswd.HtpasswdFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * htpasswd authentication and access rules over HTTP: every user has a namespace, anonymous callers may pull
 * {@code public/**}, alice administers everything.
 */
class AuthenticationTest {

    private static final String XIAOFEI_PASSWORD = "123456-xiaofei-secret";
    private static final String BOB_PASSWORD = "bob-secret-pw";
    private static final String ALICE_PASSWORD = "alice-secret-pw";

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withAccessControl(AuthenticationTest::htpasswd);

    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.all();

    private static HtpasswdAccessController htpasswd(Path directory) {
        Path file = directory.resolve("htpasswd");
        try {
            Files.write(file, List.of(HtpasswdFile.entry("xiaofei", XIAOFEI_PASSWORD, 4),
                    HtpasswdFile.entry("bob", BOB_PASSWORD, 4), HtpasswdFile.entry("alice", ALICE_PASSWORD, 4)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AccessRules rules = new AccessRules(List.of(
                new AccessRule(Set.of(AccessRule.ANY_USER), List.of(new RepositoryGlob("${user}/**")),
                        Set.of(Action.PULL, Action.PUSH, Action.DELETE)),
                new AccessRule(Set.of(AccessRule.ANONYMOUS, AccessRule.ANY_USER),
                        List.of(new RepositoryGlob("public/**")), Set.of(Action.PULL))),
                Map.of(), Set.of("alice"));
        return new HtpasswdAccessController(new HtpasswdFile(file, Clock.systemUTC()), "Registry Realm", rules,
                new FailureThrottle());
    }

    @Test
    void challengesTheVersionCheckWithoutCredentials() {
        HttpResponse<byte[]> response = registry.get("/v2/");
        assertError(response, 401, "UNAUTHORIZED");
        assertThat(header(response, "WWW-Authenticate")).isEqualTo("Basic realm=\"Registry Realm\"");
        assertThat(registry.as("xiaofei", XIAOFEI_PASSWORD).get("/v2/").statusCode()).isEqualTo(200);
        assertError(registry.as("xiaofei", "wrong").get("/v2/"), 401, "UNAUTHORIZED");
        assertError(registry.as("nobody", XIAOFEI_PASSWORD).get("/v2/"), 401, "UNAUTHORIZED");
    }

    @Test
    void letsUsersWorkInTheirOwnNamespaceOnly() {
        TestManifest image = registry.as("xiaofei", XIAOFEI_PASSWORD).pushImage("xiaofei/nginx-base", "v1");
        assertThat(registry.get("/v2/xiaofei/nginx-base/manifests/v1").body()).isEqualTo(image.bytes());

        registry.as("bob", BOB_PASSWORD);
        assertError(registry.get("/v2/xiaofei/nginx-base/manifests/v1"), 403, "DENIED");
        assertError(registry.post("/v2/xiaofei/nginx-base/blobs/uploads/"), 403, "DENIED");
        assertError(registry.delete("/v2/xiaofei/nginx-base/manifests/v1"), 403, "DENIED");
        assertThat(registry.post("/v2/bob/app/blobs/uploads/").statusCode()).isEqualTo(202);
    }

    @Test
    void letsAnonymousCallersPullPublicRepositoriesOnly() {
        TestManifest image = registry.as("alice", ALICE_PASSWORD).pushImage("public/base", "v1");
        registry.anonymous();
        assertThat(registry.get("/v2/public/base/manifests/v1").body()).isEqualTo(image.bytes());
        HttpResponse<byte[]> push = registry.post("/v2/public/base/blobs/uploads/");
        assertError(push, 401, "UNAUTHORIZED");
        assertThat(header(push, "WWW-Authenticate")).startsWith("Basic ");
        assertError(registry.get("/v2/xiaofei/nginx-base/tags/list"), 401, "UNAUTHORIZED");
        assertThat(registry.as("", "").get("/v2/public/base/manifests/v1").statusCode())
                .as("empty Basic credentials, as skopeo sends them, are anonymous").isEqualTo(200);
    }

    @Test
    void listsOnlyRepositoriesTheCallerMayPull() {
        registry.as("alice", ALICE_PASSWORD).pushImage("public/base", "v1");
        registry.as("xiaofei", XIAOFEI_PASSWORD).pushImage("xiaofei/app", "v1");
        registry.as("bob", BOB_PASSWORD).pushImage("bob/app", "v1");
        assertThat(json(registry.get("/v2/_catalog")).get("repositories").toString())
                .isEqualTo("[\"bob/app\",\"public/base\"]");
        assertThat(json(registry.anonymous().get("/v2/_catalog")).get("repositories").toString())
                .isEqualTo("[\"public/base\"]");
        assertThat(json(registry.as("alice", ALICE_PASSWORD).get("/v2/_catalog")).get("repositories").toString())
                .isEqualTo("[\"bob/app\",\"public/base\",\"xiaofei/app\"]");
    }

    @Test
    void mountsOnlyFromRepositoriesTheCallerMayPull() {
        TestBlob blob = TestBlob.random(100);
        registry.as("xiaofei", XIAOFEI_PASSWORD).pushBlob("xiaofei/app", blob);
        registry.as("bob", BOB_PASSWORD);
        assertError(registry.post("/v2/bob/app/blobs/uploads/?mount=" + blob.digest() + "&from=xiaofei/app"),
                403, "DENIED");
        assertThat(registry.post("/v2/bob/app/blobs/uploads/?mount=" + blob.digest()).statusCode())
                .as("a mount without a source falls back to an upload for a caller who may not pull everything")
                .isEqualTo(202);
        assertThat(registry.head("/v2/bob/app/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
        assertThat(registry.as("alice", ALICE_PASSWORD).post("/v2/alice/app/blobs/uploads/?mount=" + blob.digest())
                .statusCode()).isEqualTo(201);
    }

    /** As distribution, OPTIONS needs what /v2/ needs: a preflight without credentials is refused. */
    @Test
    void answersOptionsOnlyToWhoMayUseTheRegistry() {
        HttpRequest.Builder options = registry.request("/v2/xiaofei/app/tags/list")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        assertError(registry.send(options), 401, "UNAUTHORIZED");
        HttpResponse<byte[]> bob = registry.as("bob", BOB_PASSWORD).send(registry.request("/v2/xiaofei/app/tags/list")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(bob.statusCode()).isEqualTo(200);
        assertThat(header(bob, "Allow")).isEqualTo("GET, HEAD, OPTIONS");
    }

    static Stream<String> hostileAuthorizations() {
        return Stream.of("Basic !!!", "Basic " + b64("no-colon"), "Basic " + b64(":password"), "Basic",
                "Basic " + b64("u:" + "p".repeat(10_000)), "Basic " + "A".repeat(14_000), "Bearer abc.def.ghi",
                "Digest username=\"x\"", "Negotiate", "Basic " + b64("ünïcødé:wrong"), "basic " + b64("bob:x\r\n"));
    }

    @ParameterizedTest
    @MethodSource("hostileAuthorizations")
    void answersHostileCredentialsWith401(String authorization) {
        HttpResponse<byte[]> response = registry.send(registry.request("/v2/xiaofei/app/tags/list")
                .header("Authorization", authorization).GET());
        assertError(response, 401, "UNAUTHORIZED");
        assertThat(header(response, "WWW-Authenticate")).isEqualTo("Basic realm=\"Registry Realm\"");
    }

    @Test
    void neverLogsACredential() {
        registry.as("xiaofei", XIAOFEI_PASSWORD).pushImage("xiaofei/app", "v1");
        registry.as("bob", BOB_PASSWORD).get("/v2/xiaofei/app/tags/list");
        registry.as("xiaofei", "wrong-" + XIAOFEI_PASSWORD).get("/v2/");
        registry.as("bob", ALICE_PASSWORD).get("/v2/");
        assertThat(logs.events()).isNotEmpty();
        for (ILoggingEvent event : logs.events()) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : event.getThrowableProxy().getMessage());
            for (String secret : List.of(XIAOFEI_PASSWORD, BOB_PASSWORD, ALICE_PASSWORD,
                    b64("xiaofei:" + XIAOFEI_PASSWORD), b64("bob:" + ALICE_PASSWORD))) {
                assertThat(line).doesNotContain(secret);
            }
        }
    }

    /** Failed logins are counted by the connection's peer: a new X-Forwarded-For each time starts no new count. */
    @Test
    void failedLoginsCountWhateverAddressTheClientClaims() {
        for (int i = 1; i <= 4; i++) {
            registry.send(registry.request("/v2/").header("X-Forwarded-For", "10.9.9." + i)
                    .header("Authorization", "Basic " + b64("bob:wrong-" + i)).GET());
        }

        assertThat(logs.events()).filteredOn(e -> e.getFormattedMessage().startsWith("authentication failed"))
                .last().satisfies(event -> assertThat(event.getFormattedMessage())
                        .isEqualTo("authentication failed for user \"bob\" from 127.0.0.1 (4 in a row)"));
    }

    @Test
    void aFailedUserNameCannotForgeALogLine() {
        registry.as("x\n2026-11-30 INFO storage wiped by \"alice\"", "pw").get("/v2/");

        assertThat(logs.events()).filteredOn(e -> e.getFormattedMessage().startsWith("authentication failed"))
                .singleElement().satisfies(event -> assertThat(event.getFormattedMessage()).startsWith(
                        "authentication failed for user \"x\\u000a2026-11-30 INFO storage wiped by \\\"alice\\\"\" from"));
    }

    /** Long names are counted by their digest and logged cut short: they cost the heap and the log little. */
    @Test
    void aLongFailedUserNameIsLoggedCutShortAndCountedAsItself() {
        String prefix = "u".repeat(5_000);
        for (int i = 0; i < 3; i++) {
            registry.as(prefix + "a", "pw").get("/v2/");
        }
        registry.as(prefix + "b", "pw").get("/v2/");

        assertThat(logs.events()).filteredOn(e -> e.getFormattedMessage().startsWith("authentication failed"))
                .hasSize(4).last().satisfies(event -> assertThat(event.getFormattedMessage())
                        .startsWith("authentication failed for user \"" + "u".repeat(128)
                                + "\"... (5001 characters) from")
                        .endsWith("(1 in a row)"));
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
