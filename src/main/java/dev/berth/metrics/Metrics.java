package dev.berth.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Berth's Prometheus metrics, in one registry of their own (no global state): HTTP requests, storage operations,
 * authentication failures, uploads in progress and the JVM's own. Thread-safe.
 */
public final class Metrics {

    /**
     * The methods a series is labelled with; any other a client sends counts as {@code unknown}, as in distribution:
     * each name a client makes up would otherwise add series for good (a few thousand filled the launcher's heap).
     */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS");

    /** From 5 ms to a minute: manifests and small blobs at the low end, large layer uploads at the top. */
    private static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram requestDuration;
    private final Counter bytesReceived;
    private final Counter bytesSent;
    final Histogram storageDuration;
    final Counter storageErrors;
    final Counter authFailures;
    private final Counter collections;
    private final Counter collectedBlobs;
    private final Counter collectedBytes;
    private final Counter collectedManifests;
    private final Histogram collectionDuration;

    public Metrics() {
        requests = Counter.builder().name("berth_http_requests")
                .help("HTTP requests served, by method, route template and status")
                .labelNames("method", "route", "status").register(registry);
        requestDuration = Histogram.builder().name("berth_http_request_duration_seconds").unit(Unit.SECONDS)
                .help("Time from a request's first byte to its response's last").classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS).labelNames("method", "route").register(registry);
        bytesReceived = Counter.builder().name("berth_http_request_body_bytes").unit(Unit.BYTES)
                .help("Request body bytes received, by route template").labelNames("route").register(registry);
        bytesSent = Counter.builder().name("berth_http_response_body_bytes").unit(Unit.BYTES)
                .help("Response body bytes sent, by route template").labelNames("route").register(registry);
        storageDuration = Histogram.builder().name("berth_storage_operation_duration_seconds").unit(Unit.SECONDS)
                .help("Storage driver calls, by operation (for readers and writers, opening them)").classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS).labelNames("operation").register(registry);
        storageErrors = Counter.builder().name("berth_storage_operation_errors")
                .help("Storage driver calls that failed, by operation (a missing key is no failure)")
                .labelNames("operation").register(registry);
        authFailures = Counter.builder().name("berth_auth_failures")
                .help("Requests refused by access control: wrong credentials, or access denied")
                .labelNames("reason").register(registry);
        collections = Counter.builder().name("berth_gc_runs")
                .help("Garbage collections the server ran").register(registry);
        collectedBlobs = Counter.builder().name("berth_gc_blobs_deleted")
                .help("Blobs deleted by garbage collection").register(registry);
        collectedBytes = Counter.builder().name("berth_gc_freed").unit(Unit.BYTES)
                .help("Bytes freed by garbage collection").register(registry);
        collectedManifests = Counter.builder().name("berth_gc_manifests_deleted")
                .help("Untagged manifests deleted by garbage collection").register(registry);
        collectionDuration = Histogram.builder().name("berth_gc_duration_seconds").unit(Unit.SECONDS)
                .help("How long garbage collections took").classicOnly()
                .classicUpperBounds(1, 5, 15, 60, 300, 900, 3600).register(registry);
        JvmMetrics.builder().register(registry);
    }

    /** Reports the uploads being received, read at each scrape. */
    public void uploadsInProgress(LongSupplier count) {
        GaugeWithCallback.builder().name("berth_uploads_in_progress")
                .help("Blob upload requests (POST, PATCH, PUT) being received")
                .callback(callback -> callback.call(count.getAsLong())).register(registry);
    }

    /** What one notification endpoint has done, by its name: events waiting, sent, failed attempts, dropped. */
    public record NotificationCounts(String endpoint, long pending, long sent, long failures, long dropped) {
    }

    /** Reports the notification endpoints, read at each scrape. */
    public void notifications(Supplier<List<NotificationCounts>> counts) {
        GaugeWithCallback.builder().name("berth_notifications_pending")
                .help("Events waiting to be sent to a notification endpoint").labelNames("endpoint")
                .callback(callback -> counts.get().forEach(c -> callback.call(c.pending(), c.endpoint())))
                .register(registry);
        notificationCounter("berth_notifications_sent", "Events a notification endpoint took", counts,
                NotificationCounts::sent);
        notificationCounter("berth_notifications_failures", "Attempts to send an event that failed (each is "
                + "sent again)", counts, NotificationCounts::failures);
        notificationCounter("berth_notifications_dropped", "Events dropped because an endpoint's queue was full",
                counts, NotificationCounts::dropped);
    }

    private void notificationCounter(String name, String help, Supplier<List<NotificationCounts>> counts,
                                     ToLongFunction<NotificationCounts> count) {
        CounterWithCallback.builder().name(name).help(help).labelNames("endpoint")
                .callback(callback -> counts.get().forEach(c -> callback.call(count.applyAsLong(c), c.endpoint())))
                .register(registry);
    }

    /** One served request. */
    public void request(String method, String route, int status, long bytesIn, long bytesOut, Duration duration) {
        String methodLabel = METHODS.contains(method) ? method : "unknown";
        requests.labelValues(methodLabel, route, Integer.toString(status)).inc();
        requestDuration.labelValues(methodLabel, route).observe(duration.toNanos() / 1e9);
        bytesReceived.labelValues(route).inc(bytesIn);
        bytesSent.labelValues(route).inc(bytesOut);
    }

    /** One garbage collection the server ran. */
    public void collection(long blobsDeleted, long bytesFreed, long manifestsDeleted, Duration duration) {
        collections.inc();
        collectedBlobs.inc(blobsDeleted);
        collectedBytes.inc(bytesFreed);
        collectedManifests.inc(manifestsDeleted);
        collectionDuration.observe(duration.toNanos() / 1e9);
    }

    /** The exposition's content type, Prometheus text format 0.0.4. */
    public String contentType() {
        return writer.getContentType();
    }

    /** Writes every metric in Prometheus text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
