package dev.berth.http;

import static dev.berth.http.ErrorEnvelope.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.health.HealthCheck;
import dev.berth.health.HealthMonitor;
import dev.berth.health.Readiness;
import dev.berth.health.StorageProbe;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /healthz}, {@code /readyz}, 503 while a check fails, and the debug server's health and metrics pages. */
class HealthEndpointsTest {

    private static final HealthCheck BROKEN = new HealthCheck() {
        @Override
        public String name() {
            return "storagedriver_filesystem";
        }

        @Override
        public void check() throws IOException {
            throw new IOException("read-only file system");
        }
    };

    private static ServerOptions options(Optional<HealthMonitor> monitor, Readiness readiness) {
        return options(monitor, readiness, List.of());
    }

    private static ServerOptions options(Optional<HealthMonitor> monitor, Readiness readiness,
                                         List<RequestObserver> observers) {
        return new ServerOptions("/mirror", Optional.empty(), false, Duration.ofSeconds(1), Map.of(), observers,
                monitor, Optional.of(readiness));
    }

    /** A monitor that has seen {@link #BROKEN} fail. */
    private static HealthMonitor failing() {
        HealthMonitor monitor = new HealthMonitor(List.of(new HealthMonitor.Scheduled(BROKEN, Duration.ofMillis(5), 1)));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (monitor.failures().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return monitor;
    }

    @Nested
    class WhenHealthy {

        @RegisterExtension
        final TestRegistry registry = TestRegistry.withServerOptions(storage -> options(Optional.empty(),
                new Readiness(new StorageProbe(new FilesystemDriver(storage), "filesystem", true))));

        @Test
        void liveAndReadyOutsideThePrefix() {
            HttpResponse<byte[]> live = registry.get("/healthz");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(new String(live.body(), StandardCharsets.UTF_8)).isEqualTo("ok\n");
            StoreSnapshot before = registry.snapshot();
            assertThat(registry.get("/readyz").statusCode()).isEqualTo(200);
            assertThat(registry.snapshot()).as("the readiness probe leaves nothing behind").isEqualTo(before);
            assertThat(registry.get("/mirror/v2/").statusCode()).isEqualTo(200);
        }

        /** What distribution's deployment guide points load balancers at. */
        @Test
        void theRootAnswers200WithNoBodyOutsideThePrefix() {
            HttpResponse<byte[]> root = registry.get("/");
            assertThat(root.statusCode()).isEqualTo(200);
            assertThat(root.body()).isEmpty();
            assertThat(root.headers().firstValue("Cache-Control")).contains("no-cache");
        }
    }

    @Nested
    class WhenStorageRefusesWrites {

        @RegisterExtension
        final TestRegistry registry = TestRegistry.withServerOptions(storage -> options(Optional.empty(),
                new Readiness(BROKEN)));

        @Test
        void notReadyButLive() {
            HttpResponse<byte[]> ready = registry.get("/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(new String(ready.body(), StandardCharsets.UTF_8)).contains("read-only file system");
            assertThat(registry.get("/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class WhileACheckFails {

        final List<RequestRecord> logged = new CopyOnWriteArrayList<>();

        @RegisterExtension
        final TestRegistry registry = TestRegistry.withServerOptions(storage -> options(Optional.of(failing()),
                new Readiness(BROKEN), List.of(logged::add)));

        @Test
        void answersRegistryRequestsWith503Unavailable() {
            assertError(registry.get("/mirror/v2/"), 503, "UNAVAILABLE");
            assertError(registry.get("/mirror/v2/team/app/tags/list"), 503, "UNAVAILABLE");
            assertError(registry.get("/"), 503, "UNAVAILABLE");
            assertThat(registry.get("/healthz").statusCode()).isEqualTo(200);
        }

        /** The checks' names (addresses, paths, perhaps credentials in a URL) are for the log and debug server. */
        @Test
        void namesNoCheckToClients() {
            HttpResponse<byte[]> refused = registry.get("/mirror/v2/");
            assertError(refused, 503, "UNAVAILABLE");
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).doesNotContain(BROKEN.name());
        }

        /** An outage must show in the access log and metrics, which observe every refused request. */
        @Test
        void refusedRequestsAreObserved() {
            registry.get("/mirror/v2/team/app/tags/list");
            // reported when the request's callback completes, which may be just after the client has the response
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (logged.isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(logged).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(503));
        }
    }

    @Test
    void theDebugServerReportsChecksAndServesMetrics() throws Exception {
        DebugPage metrics = new DebugPage() {
            @Override
            public String path() {
                return "/metrics";
            }

            @Override
            public String contentType() {
                return "text/plain; version=0.0.4; charset=utf-8";
            }

            @Override
            public void write(java.io.OutputStream out) throws IOException {
                out.write("berth_up 1\n".getBytes(StandardCharsets.UTF_8));
            }
        };
        try (HealthMonitor healthy = new HealthMonitor(List.of());
             HealthMonitor broken = failing();
             HttpClient client = HttpClient.newHttpClient()) {
            DebugServer up = new DebugServer(new InetSocketAddress("127.0.0.1", 0), healthy, Optional.of(metrics));
            DebugServer down = new DebugServer(new InetSocketAddress("127.0.0.1", 0), broken, Optional.empty());
            up.start();
            down.start();
            try {
                HttpResponse<String> ok = get(client, up.port(), "/debug/health");
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.body()).isEqualTo("{}");
                HttpResponse<String> failing = get(client, down.port(), "/debug/health");
                assertThat(failing.statusCode()).isEqualTo(503);
                assertThat(failing.body()).isEqualTo("{\"storagedriver_filesystem\":\"read-only file system\"}");
                HttpResponse<String> page = get(client, up.port(), "/metrics");
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.headers().firstValue("Content-Type")).contains(metrics.contentType());
                assertThat(page.body()).isEqualTo("berth_up 1\n");
                assertThat(get(client, down.port(), "/metrics").statusCode()).isEqualTo(404);
            } finally {
                up.close();
                down.close();
            }
        }
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
