package dev.berth.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.auth.AccessDeniedException;
import dev.berth.auth.AuthRequest;
import dev.berth.auth.AuthenticationRequiredException;
import dev.berth.auth.Principal;
import dev.berth.storage.ForwardingStorageDriver;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a Prometheus scrape shows after requests, storage calls and refused credentials. */
class MetricsTest {

    @TempDir
    Path root;

    private final Metrics metrics = new Metrics();

    private String scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void countsGarbageCollectionsWithWhatTheyFreed() throws Exception {
        metrics.collection(3, 3_000, 1, Duration.ofSeconds(2));
        metrics.collection(1, 500, 0, Duration.ofMillis(300));
        String scrape = scrape();
        assertThat(scrape).contains("berth_gc_runs_total 2.0", "berth_gc_blobs_deleted_total 4.0",
                "berth_gc_freed_bytes_total 3500.0", "berth_gc_manifests_deleted_total 1.0",
                "berth_gc_duration_seconds_count 2");
    }

    @Test
    void countsRequestsByMethodRouteAndStatusWithLatencyAndBytes() throws Exception {
        metrics.request("PUT", "/v2/{name}/manifests/{reference}", 201, 512, 0, Duration.ofMillis(30));
        metrics.request("GET", "/v2/{name}/blobs/{digest}", 200, 0, 4096, Duration.ofMillis(3));
        metrics.uploadsInProgress(() -> 2);
        String text = scrape();
        assertThat(text)
                .contains("berth_http_requests_total{method=\"PUT\",route=\"/v2/{name}/manifests/{reference}\","
                        + "status=\"201\"} 1.0")
                .contains("berth_http_request_duration_seconds_bucket{method=\"GET\","
                        + "route=\"/v2/{name}/blobs/{digest}\",le=\"0.005\"} 1")
                .contains("berth_http_request_body_bytes_total{route=\"/v2/{name}/manifests/{reference}\"} 512.0")
                .contains("berth_http_response_body_bytes_total{route=\"/v2/{name}/blobs/{digest}\"} 4096.0")
                .contains("berth_uploads_in_progress 2.0")
                .contains("jvm_memory_used_bytes");
        assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");
    }

    @Test
    void reportsEachNotificationEndpointsQueueAndOutcomes() throws Exception {
        metrics.notifications(() -> List.of(new Metrics.NotificationCounts("audit", 3, 40, 2, 0),
                new Metrics.NotificationCounts("backup", 0, 43, 0, 7)));
        assertThat(scrape()).contains("berth_notifications_pending{endpoint=\"audit\"} 3.0",
                "berth_notifications_sent_total{endpoint=\"audit\"} 40.0",
                "berth_notifications_failures_total{endpoint=\"audit\"} 2.0",
                "berth_notifications_dropped_total{endpoint=\"backup\"} 7.0",
                "berth_notifications_sent_total{endpoint=\"backup\"} 43.0");
    }

    @Test
    void countsMethodsNoRegistryKnowsAsUnknownSoClientsCannotAddSeries() throws Exception {
        for (String method : List.of("M0001", "M0002", "BREW")) {
            metrics.request(method, "/v2/", 405, 0, 0, Duration.ofMillis(1));
        }
        String text = scrape();
        assertThat(text).contains("berth_http_requests_total{method=\"unknown\",route=\"/v2/\",status=\"405\"} 3.0")
                .doesNotContain("M0001", "BREW");
    }

    @Test
    void timesStorageCallsAndCountsFailuresButNotMissingKeys() throws Exception {
        StorageDriver storage = new MeteredStorageDriver(new FilesystemDriver(root), metrics);
        storage.putContent("/a/b", new byte[] {1});
        assertThat(storage.getContent("/a/b")).containsExactly(1);
        assertThatThrownBy(() -> storage.getContent("/a/missing")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> storage.getContent("../escape")).isInstanceOf(RuntimeException.class);
        String text = scrape();
        assertThat(text)
                .contains("berth_storage_operation_duration_seconds_count{operation=\"put_content\"} 1")
                .contains("berth_storage_operation_duration_seconds_count{operation=\"get_content\"} 3")
                .contains("berth_storage_operation_errors_total{operation=\"get_content\"} 1.0");
    }

    /** Metered S3 must still make a request's independent calls at once. */
    @Test
    void meteredStorageIsRemoteWhenWhatItMetersIs() {
        StorageDriver local = new FilesystemDriver(root);
        assertThat(new MeteredStorageDriver(local, metrics).remote()).isFalse();
        assertThat(new MeteredStorageDriver(new ForwardingStorageDriver(local) {
            @Override
            public boolean remote() {
                return true;
            }
        }, metrics).remote()).isTrue();
    }

    @Test
    void countsRefusedCredentialsAndDenialsNotChallenges() throws Exception {
        AuthRequest anonymous = new AuthRequest(Optional.empty(), "127.0.0.1", "http://127.0.0.1");
        AuthRequest wrong = new AuthRequest(Optional.of("Basic eDp5"), "127.0.0.1", "http://127.0.0.1");
        new MeteredAccessController((request, access) -> Principal.UNRESTRICTED, metrics).authorize(wrong, List.of());
        MeteredAccessController challenging = new MeteredAccessController((request, access) -> {
            throw new AuthenticationRequiredException("Basic realm=\"r\"", "credentials required");
        }, metrics);
        assertThatThrownBy(() -> challenging.authorize(anonymous, List.of()));
        assertThatThrownBy(() -> challenging.authorize(wrong, List.of()));
        assertThatThrownBy(() -> new MeteredAccessController((request, access) -> {
            throw new AccessDeniedException("someone", "no");
        }, metrics).authorize(wrong, List.of()));
        assertThat(scrape())
                .contains("berth_auth_failures_total{reason=\"invalid_credentials\"} 1.0")
                .contains("berth_auth_failures_total{reason=\"denied\"} 1.0");
    }
}
