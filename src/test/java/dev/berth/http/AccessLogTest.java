package dev.berth.http;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One access line per request, with its route, repository, status, bytes, duration and user, and no secret. */
class AccessLogTest {

    private static final String PASSWORD = "p4ssw0rd-never-logged";

    private final List<RequestRecord> records = new CopyOnWriteArrayList<>();
    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.all();

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withServerOptions(
            storage -> new ServerOptions("", Optional.empty(), false, Duration.ofSeconds(1), Map.of(),
                    List.of(new AccessLog(true), new AccessLog(false), records::add), Optional.empty(),
                    Optional.empty()),
            AccessLogTest::htpasswd);

    private static HtpasswdAccessController htpasswd(Path directory) {
        try {
            Path file = Files.write(directory.resolve("htpasswd"), List.of(HtpasswdFile.entry("xiaofei", PASSWORD, 4)));
            // every user everything in team/, only pulls in public/
            AccessRules rules = new AccessRules(List.of(
                    new AccessRule(Set.of(AccessRule.ANY_USER), List.of(new RepositoryGlob("team/**")),
                            Set.of(Action.ALL)),
                    new AccessRule(Set.of(AccessRule.ANY_USER), List.of(new RepositoryGlob("public/**")),
                            Set.of(Action.PULL))), Map.of(), Set.of());
            return new HtpasswdAccessController(new HtpasswdFile(file, Clock.systemUTC()), "Registry Realm", rules,
                    new FailureThrottle());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request is reported when its callback completes, which may be just after the client has the response. */
    private void awaitRecords(int count) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (records.size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(records).hasSize(count);
    }

    @Test
    void describesEachRequestByRouteTemplate() {
        registry.as("xiaofei", PASSWORD);
        TestBlob blob = TestBlob.random(1000);
        registry.pushBlob("team/app", blob);
        registry.get("/v2/team/app/blobs/" + blob.digest());
        registry.get("/v2/team/app/manifests/missing");

        awaitRecords(3);
        RequestRecord push = records.get(0);
        assertThat(push.method()).isEqualTo("POST");
        assertThat(push.route()).isEqualTo("/v2/{name}/blobs/uploads/");
        assertThat(push.repository()).contains("team/app");
        assertThat(push.status()).isEqualTo(201);
        assertThat(push.bytesIn()).isEqualTo(1000);
        assertThat(push.user()).contains("xiaofei");
        RequestRecord pull = records.get(1);
        assertThat(pull.route()).isEqualTo("/v2/{name}/blobs/{digest}");
        assertThat(pull.bytesOut()).isEqualTo(1000);
        assertThat(pull.duration()).isPositive();
        assertThat(records.get(2).status()).isEqualTo(404);
        // no observer here reads what requests did to content, so none is recorded
        assertThat(records).allSatisfy(r -> assertThat(r.events()).isEmpty());
    }

    @Test
    void namesTheUserARequestWasDeniedTo() {
        assertThat(registry.as("xiaofei", PASSWORD).post("/v2/public/app/blobs/uploads/").statusCode())
                .isEqualTo(403);
        assertThat(registry.as("xiaofei", "wrong-" + PASSWORD).post("/v2/public/app/blobs/uploads/").statusCode())
                .isEqualTo(401);

        awaitRecords(2);
        assertThat(records.get(0).status()).isEqualTo(403);
        assertThat(records.get(0).user()).contains("xiaofei");
        // wrong credentials identify nobody
        assertThat(records.get(1).user()).isEmpty();
    }

    @Test
    void writesOneLineWithKeyValuesAndNoCredentials() {
        registry.as("xiaofei", PASSWORD).get("/v2/team/app/tags/list");
        registry.as("xiaofei", "wrong-" + PASSWORD).get("/v2/");
        registry.anonymous().get("/v2/Not_A_Name/tags/list");
        awaitRecords(3);

        List<ILoggingEvent> both = logs.events().stream().filter(e -> e.getLoggerName().equals(AccessLog.LOGGER))
                .toList();
        // every request passed both access logs: the one for JSON logs, then the one for text
        assertThat(both).hasSize(6);
        List<ILoggingEvent> access = List.of(both.get(0), both.get(2), both.get(4));
        for (int i = 0; i < access.size(); i++) {
            ILoggingEvent text = both.get(2 * i + 1);
            assertThat(text.getFormattedMessage()).isEqualTo(access.get(i).getFormattedMessage());
            assertThat(text.getKeyValuePairs()).isNullOrEmpty();
        }
        assertThat(access.get(0).getFormattedMessage())
                .isEqualTo("GET /v2/{name}/tags/list 404 repository=team/app user=xiaofei in=0 out=%d duration=%dms"
                        .formatted(records.get(0).bytesOut(), records.get(0).duration().toMillis())
                        + " remote=127.0.0.1");
        assertThat(access.get(0).getKeyValuePairs()).extracting(kv -> kv.key)
                .containsExactly("method", "route", "repository", "status", "bytes_in", "bytes_out", "duration_ms",
                        "user", "remote");
        assertThat(access.get(1).getFormattedMessage()).startsWith("GET /v2/ 401 repository=- user=-");
        assertThat(access.get(2).getFormattedMessage()).startsWith("GET unmatched 400");
        for (ILoggingEvent event : logs.events()) {
            assertThat(event.getFormattedMessage() + event.getKeyValuePairs())
                    .doesNotContain(PASSWORD, "Basic ", "Authorization");
        }
    }
}
