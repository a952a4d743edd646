package dev.berth.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.auth.htpasswd.HtpasswdFile;
import dev.berth.oci.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations surface of the packaged server, configured by {@code REGISTRY_*} variables as in a container:
 * JSON logs with fields and access lines and no credentials, metrics and health on the debug address, readiness
 * on the main port, and an exit status of 0 on SIGTERM.
 */
class OperationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "it-s3cret-password";

    @TempDir
    Path dir;

    @Test
    void logsMeasuresAndReportsHealthAsConfigured() throws Exception {
        int debugPort = ServerProcess.freePort();
        Path htpasswd = Files.write(dir.resolve("htpasswd"), List.of(HtpasswdFile.entry("ops", PASSWORD, 4)));
        String credentials = "Basic " + Base64.getEncoder().encodeToString(("ops:" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        byte[] blob = "some layer".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(blob);
        try (ServerProcess server = ServerProcess.start(dir, dir.resolve("data"), Map.of(
                "REGISTRY_LOG_FORMATTER", "json",
                "REGISTRY_LOG_FIELDS_SERVICE", "registry",
                "REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:" + debugPort,
                "REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true",
                "REGISTRY_HEALTH_STORAGEDRIVER_ENABLED", "true",
                "REGISTRY_HTTP_HEADERS", "{X-Content-Type-Options: [nosniff]}",
                "REGISTRY_AUTH_HTPASSWD_REALM", "Registry Realm",
                "REGISTRY_AUTH_HTPASSWD_PATH", htpasswd.toString()));
             HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> pushed = http.send(HttpRequest.newBuilder(server.uri(
                    "/v2/ops/app/blobs/uploads/?digest=" + digest)).header("Authorization", credentials)
                    .POST(BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(pushed.statusCode()).isEqualTo(201);
            assertThat(pushed.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(http.send(HttpRequest.newBuilder(server.uri("/v2/")).header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString("ops:wrong".getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);

            assertThat(get(http, server.uri("/readyz")).statusCode()).isEqualTo(200);
            HttpResponse<String> health = get(http, URI.create("http://127.0.0.1:" + debugPort + "/debug/health"));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{}");
            String metrics = get(http, URI.create("http://127.0.0.1:" + debugPort + "/metrics")).body();
            assertThat(metrics)
                    .contains("berth_http_requests_total{method=\"POST\",route=\"/v2/{name}/blobs/uploads/\","
                            + "status=\"201\"} 1.0")
                    .contains("berth_http_request_body_bytes_total{route=\"/v2/{name}/blobs/uploads/\"} "
                            + blob.length + ".0")
                    .contains("berth_auth_failures_total{reason=\"invalid_credentials\"} 1.0")
                    .contains("berth_storage_operation_duration_seconds_count{operation=\"move\"} 1")
                    .contains("berth_uploads_in_progress 0.0")
                    .contains("jvm_threads_current");

            server.terminate();
            assertThat(server.exitStatus()).isZero();
            String log = server.log();
            assertThat(log).doesNotContain(PASSWORD, "Basic ", credentials.substring(6));
            List<JsonNode> lines = log.lines().filter(line -> !line.isBlank()).map(OperationsIT::parse).toList();
            assertThat(lines).allSatisfy(line -> {
                assertThat(line.path("service").asText()).isEqualTo("registry");
                assertThat(line.has("time") && line.has("level") && line.has("msg")).isTrue();
            });
            assertThat(lines).filteredOn(line -> line.path("logger").asText().equals("access"))
                    .anySatisfy(line -> {
                        assertThat(line.path("method").asText()).isEqualTo("POST");
                        assertThat(line.path("route").asText()).isEqualTo("/v2/{name}/blobs/uploads/");
                        assertThat(line.path("repository").asText()).isEqualTo("ops/app");
                        assertThat(line.path("status").asInt()).isEqualTo(201);
                        assertThat(line.path("bytes_in").asLong()).isEqualTo(blob.length);
                        assertThat(line.path("user").asText()).isEqualTo("ops");
                        assertThat(line.has("duration_ms")).isTrue();
                    });
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not one JSON object per line: " + line, e);
        }
    }
}
