package dev.berth.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.berth.http.ContentEvent;
import dev.berth.http.ContentEvent.Action;
import dev.berth.http.RequestRecord;
import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events reach a listener on loopback as distribution sends them: one per POST, in order, again after failures. */
class NotificationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Digest DIGEST = Digest.parse("sha256:" + "ab".repeat(32));
    private static final RepositoryName APP = RepositoryName.parse("team/app");
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00.123456789Z");

    /** A received request: its headers and body. */
    private record Received(com.sun.net.httpserver.Headers headers, JsonNode body) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    /** Statuses the listener answers, in turn; 200 once they are used up. */
    private final BlockingQueue<Integer> answers = new LinkedBlockingQueue<>();
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean holding;
    private HttpServer listener;
    private Notifications notifications;

    @BeforeEach
    void listen() throws IOException {
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/events", exchange -> {
            try {
                if (holding) {
                    arrived.countDown();
                    released.await();
                }
                received.add(new Received(exchange.getRequestHeaders(), JSON.readTree(exchange.getRequestBody())));
                Integer status = answers.poll();
                exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        listener.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        listener.start();
    }

    @AfterEach
    void stop() {
        released.countDown();
        if (notifications != null) {
            notifications.close(Duration.ZERO);
        }
        listener.stop(0);
    }

    private static final Source SOURCE = new Source("registry.example:5000", "0a5dd254-bf52-4a6e-8b6e-4e74cfeb3711");

    private String listenerUrl() {
        return "http://127.0.0.1:" + listener.getAddress().getPort() + "/events";
    }

    /**
     * {@code capacity}: how many events like {@link #pushed}'s, which list no references, may wait, the one being
     * sent included.
     */
    private Endpoint endpoint(int threshold, Duration backoff, Set<String> ignoredTypes, Set<String> ignoredActions,
                              int capacity) {
        long eventBytes = Notifications.heapBytes(request("PUT", Optional.empty()), pushed("t0"), 0);
        return new Endpoint(new Endpoint.Settings("listener", URI.create(listenerUrl()),
                Map.of("Authorization", List.of("Bearer s3cret")), Duration.ofSeconds(5), threshold, backoff,
                ignoredTypes, ignoredActions), SOURCE, capacity * eventBytes + eventBytes / 2);
    }

    /** An endpoint at {@code url} that ignores nothing. */
    private static Endpoint endpointAt(String name, String url, Map<String, List<String>> headers, int threshold,
                                       Duration backoff) {
        return new Endpoint(new Endpoint.Settings(name, URI.create(url), headers, Duration.ofSeconds(5), threshold,
                backoff, Set.of(), Set.of()), SOURCE);
    }

    private void start(Endpoint... endpoints) {
        start(false, endpoints);
    }

    private void start(boolean includeReferences, Endpoint... endpoints) {
        notifications = new Notifications(List.of(endpoints), includeReferences, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static RequestRecord request(String method, Optional<String> user, ContentEvent... events) {
        return new RequestRecord(method, "/v2/{name}/manifests/{reference}", Optional.of("team/app"), 201, 10, 0,
                Duration.ofMillis(3), user, "127.0.0.1", OptionalInt.of(40123), "127.0.0.1:5000", "docker/27.0",
                List.of(events));
    }

    private static ContentEvent pushed(String tag) {
        return pushed(tag, Optional.empty());
    }

    private static ContentEvent pushed(String tag, Optional<String> manifest) {
        return new ContentEvent(Action.PUSH, APP, Optional.of(DIGEST),
                Optional.of("application/vnd.oci.image.manifest.v1+json"), 416, Optional.of(new Tag(tag)),
                Optional.empty(), Optional.of("http://127.0.0.1:5000/v2/team/app/manifests/" + DIGEST),
                manifest.map(m -> ByteBuffer.wrap(m.getBytes(StandardCharsets.UTF_8))));
    }

    private static ContentEvent deleted() {
        return new ContentEvent(Action.DELETE, APP, Optional.of(DIGEST), Optional.empty(), 0, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Until {@code count} reaches {@code at least}, for 10 s at most. */
    private static void awaitCount(LongSupplier count, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count.getAsLong() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private List<Received> receive(int count) throws InterruptedException {
        List<Received> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Received next = received.poll(10, TimeUnit.SECONDS);
            assertThat(next).as("event %d of %d", i + 1, count).isNotNull();
            all.add(next);
        }
        return all;
    }

    @Test
    void postsOneEnvelopePerEventWithTheEndpointsHeadersAndDistributionsFields() throws Exception {
        start(endpoint(3, Duration.ofMillis(10), Set.of(), Set.of(), 16));
        notifications.completed(request("PUT", Optional.of("xiaofei"), pushed("v1"), pushed("latest")));
        notifications.completed(request("DELETE", Optional.empty(), deleted()));

        List<Received> all = receive(3);
        Received first = all.getFirst();
        assertThat(first.headers().getFirst("Content-Type"))
                .isEqualTo("application/vnd.docker.distribution.events.v1+json");
        assertThat(first.headers().getFirst("Authorization")).isEqualTo("Bearer s3cret");
        JsonNode event = first.body().get("events").get(0);
        assertThat(first.body().get("events")).hasSize(1);
        assertThat(event.get("action").asText()).isEqualTo("push");
        assertThat(event.get("timestamp").asText()).isEqualTo("2026-11-30T12:00:00.123456789Z");
        assertThat(event.get("target")).isEqualTo(JSON.readTree("""
                {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 416, "digest": "%s",
                 "length": 416, "repository": "team/app",
                 "url": "http://127.0.0.1:5000/v2/team/app/manifests/%s", "tag": "v1"}""".formatted(DIGEST, DIGEST)));
        assertThat(event.get("request").get("addr").asText()).isEqualTo("127.0.0.1:40123");
        assertThat(event.get("request").get("host").asText()).isEqualTo("127.0.0.1:5000");
        assertThat(event.get("request").get("method").asText()).isEqualTo("PUT");
        assertThat(event.get("request").get("useragent").asText()).isEqualTo("docker/27.0");
        assertThat(event.get("actor")).isEqualTo(JSON.readTree("{\"name\": \"xiaofei\"}"));
        assertThat(event.get("source").get("addr").asText()).isEqualTo("registry.example:5000");

        JsonNode second = all.get(1).body().get("events").get(0);
        assertThat(second.get("target").get("tag").asText()).isEqualTo("latest");
        assertThat(second.get("id").asText()).isNotEqualTo(event.get("id").asText());
        assertThat(second.get("request").get("id")).isEqualTo(event.get("request").get("id"));
        assertThat(second.get("source").get("instanceID")).isEqualTo(event.get("source").get("instanceID"));

        JsonNode delete = all.get(2).body().get("events").get(0);
        assertThat(delete.get("action").asText()).isEqualTo("delete");
        assertThat(delete.get("target")).isEqualTo(JSON.readTree("""
                {"digest": "%s", "repository": "team/app"}""".formatted(DIGEST)));
        assertThat(delete.get("actor")).isEqualTo(JSON.createObjectNode());
        assertThat(delete.get("request").get("id")).isNotEqualTo(event.get("request").get("id"));
    }

    @Test
    void sendsEveryValueOfAHeaderAndLeavesOutThoseItsHttpClientMayNotSet() throws Exception {
        start(endpointAt("listener", listenerUrl(),
                Map.of("X-Team", List.of("a", "b"), "Host", List.of("elsewhere.example")), 3, Duration.ofMillis(10)));
        notifications.completed(request("PUT", Optional.empty(), pushed("v1")));

        Received only = receive(1).getFirst();
        assertThat(only.headers().get("X-Team")).containsExactly("a", "b");
        assertThat(only.headers().getFirst("Host")).startsWith("127.0.0.1:");
    }

    @Test
    void listsWhatAManifestReferencesWhenAsked() throws Exception {
        String config = "sha256:" + "c0".repeat(32);
        String layer = "sha256:" + "1a".repeat(32);
        String image = """
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                 "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 37, "digest": "%s"},
                 "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 11, "digest": "%s",
                             "annotations": {"z": "1", "a": "2"}, "urls": ["https://example.com/l"]}],
                 "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 1, "digest": "%s"}}
                """.formatted(config, layer, DIGEST);
        start(true, endpoint(3, Duration.ofMillis(10), Set.of(), Set.of(), 16));
        notifications.completed(request("PUT", Optional.empty(), pushed("v1", Optional.of(image)),
                pushed("bad", Optional.of("{not json"))));
        notifications.completed(request("DELETE", Optional.empty(), deleted()));

        List<Received> all = receive(3);
        JsonNode references = all.getFirst().body().get("events").get(0).get("target").get("references");
        // distribution's order and fields: the config, then the layers; the subject is no reference
        assertThat(references).isEqualTo(JSON.readTree("""
                [{"mediaType": "application/vnd.oci.image.config.v1+json", "size": 37, "digest": "%s"},
                 {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 11, "digest": "%s",
                  "urls": ["https://example.com/l"], "annotations": {"a": "2", "z": "1"}}]
                """.formatted(config, layer)));
        assertThat(references.get(1).get("annotations").fieldNames()).toIterable().containsExactly("a", "z");
        assertThat(all.get(1).body().get("events").get(0).get("target").has("references")).isFalse();
        assertThat(all.get(2).body().get("events").get(0).get("target").has("references")).isFalse();
    }

    @Test
    void listsNoReferencesUnlessAsked() throws Exception {
        start(endpoint(3, Duration.ofMillis(10), Set.of(), Set.of(), 16));
        notifications.completed(request("PUT", Optional.empty(), pushed("v1", Optional.of("""
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": []}"""))));
        assertThat(receive(1).getFirst().body().get("events").get(0).get("target").has("references")).isFalse();
    }

    @Test
    void tellsNothingOfARequestThatFailed() throws Exception {
        start(endpoint(3, Duration.ofMillis(10), Set.of(), Set.of(), 16));
        RequestRecord failed = request("GET", Optional.empty(), pushed("v1"));
        notifications.completed(new RequestRecord(failed.method(), failed.route(), failed.repository(), 500,
                failed.bytesIn(), failed.bytesOut(), failed.duration(), failed.user(), failed.remoteAddress(),
                failed.remotePort(), failed.host(), failed.userAgent(), failed.events()));
        notifications.completed(request("DELETE", Optional.empty(), deleted()));

        assertThat(receive(1).getFirst().body().get("events").get(0).get("action").asText()).isEqualTo("delete");
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void leavesOutTheActionsAndMediaTypesAnEndpointIgnores() throws Exception {
        start(endpoint(3, Duration.ofMillis(10), Set.of("application/vnd.oci.image.manifest.v1+json"), Set.of(), 16),
                endpoint(3, Duration.ofMillis(10), Set.of(), Set.of("delete"), 16));
        notifications.completed(request("PUT", Optional.empty(), pushed("v1")));
        notifications.completed(request("DELETE", Optional.empty(), deleted()));

        // the first endpoint takes only the delete (no media type), the second only the push
        List<String> actions = receive(2).stream()
                .map(r -> r.body().get("events").get(0).get("action").asText()).sorted().toList();
        assertThat(actions).containsExactly("delete", "push");
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void sendsAnEventAgainUntilTheListenerTakesItThenGoesOnInOrder() throws Exception {
        answers.addAll(List.of(500, 503, 404));
        start(endpoint(2, Duration.ofMillis(50), Set.of(), Set.of(), 16));
        notifications.completed(request("PUT", Optional.empty(), pushed("first")));
        notifications.completed(request("PUT", Optional.empty(), pushed("second")));

        List<String> tags = receive(5).stream()
                .map(r -> r.body().get("events").get(0).get("target").get("tag").asText()).toList();
        assertThat(tags).containsExactly("first", "first", "first", "first", "second");
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
        Endpoint endpoint = notifications.endpoints().getFirst();
        awaitCount(endpoint::sent, 2); // the listener has the event before the sender has its answer
        assertThat(endpoint.failures()).isEqualTo(3);
        assertThat(endpoint.sent()).isEqualTo(2);
        assertThat(endpoint.pending()).isZero();
    }

    @Test
    void dropsNewEventsOnceAStalledListenersQueueIsFull() throws Exception {
        holding = true;
        start(endpoint(3, Duration.ofMillis(10), Set.of(), Set.of(), 3));
        notifications.completed(request("PUT", Optional.empty(), pushed("t0")));
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 10; i++) {
            notifications.completed(request("PUT", Optional.empty(), pushed("t" + i)));
        }
        released.countDown();

        // one being sent when the listener stalled, two waiting; the other seven were dropped
        List<String> tags = receive(3).stream()
                .map(r -> r.body().get("events").get(0).get("target").get("tag").asText()).toList();
        assertThat(tags).containsExactly("t0", "t1", "t2");
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(notifications.endpoints().getFirst().dropped()).isEqualTo(7);
    }

    @Test
    void countsTheManifestsAnEventCarriesAgainstTheHeapItsQueueMayHold() throws Exception {
        holding = true;
        start(true, endpoint(3, Duration.ofMillis(10), Set.of(), Set.of(), 8));
        notifications.completed(request("PUT", Optional.empty(), pushed("t0")));
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        // the references of an index of 100 manifests do not fit beside the event being sent; an event without them
        // does
        String child = "{\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", \"size\": 1, \"digest\": \""
                + DIGEST + "\"}";
        notifications.completed(request("PUT", Optional.empty(), pushed("big", Optional.of(
                "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.index.v1+json\", \"manifests\": ["
                        + String.join(", ", java.util.Collections.nCopies(100, child)) + "]}"))));
        notifications.completed(request("PUT", Optional.empty(), pushed("small")));
        released.countDown();

        List<String> tags = receive(2).stream()
                .map(r -> r.body().get("events").get(0).get("target").get("tag").asText()).toList();
        assertThat(tags).containsExactly("t0", "small");
        assertThat(notifications.endpoints().getFirst().dropped()).isEqualTo(1);
    }

    @Test
    void takesTheStatusWithoutWaitingForABodyTheListenerNeverFinishes() throws Exception {
        try (ServerSocket stalling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 2; i++) {
                    try {
                        Socket socket = stalling.accept(); // left open: the listener stalls after 3 of 100 bytes
                        InputStream in = socket.getInputStream();
                        String head = new String(in.readNBytes(64), StandardCharsets.ISO_8859_1);
                        received.add(new Received(new com.sun.net.httpserver.Headers(), JSON.createObjectNode()
                                .put("head", head)));
                        socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        socket.getOutputStream().flush();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            start(endpointAt("stalling", "http://127.0.0.1:" + stalling.getLocalPort() + "/", Map.of(), 3,
                    Duration.ofMillis(10)));
            notifications.completed(request("PUT", Optional.empty(), pushed("first"), pushed("second")));

            assertThat(receive(2)).allSatisfy(r -> assertThat(r.body().get("head").asText()).startsWith("POST / "));
            Endpoint endpoint = notifications.endpoints().getFirst();
            awaitCount(endpoint::sent, 2);
            assertThat(endpoint.sent()).isEqualTo(2);
            assertThat(endpoint.failures()).isZero();
        }
    }

    @Test
    void sendsTheUrlsCredentialsAsBasicAuthenticationUnlessAHeaderSaysOtherwise() throws Exception {
        String withCredentials = "http://hook%40team:p%3Ass@127.0.0.1:" + listener.getAddress().getPort() + "/events";
        start(endpointAt("basic", withCredentials, Map.of(), 3, Duration.ofMillis(10)),
                endpointAt("bearer", withCredentials, Map.of("authorization", List.of("Bearer t")), 3,
                        Duration.ofMillis(10)));
        notifications.completed(request("PUT", Optional.empty(), pushed("v1")));

        assertThat(receive(2)).extracting(r -> r.headers().getFirst("Authorization")).containsExactlyInAnyOrder(
                "Basic " + Base64.getEncoder().encodeToString("hook@team:p:ss".getBytes(StandardCharsets.UTF_8)),
                "Bearer t");
    }

    @Test
    void takesNoRedirectLeftUnfollowedForDelivery() throws Exception {
        listener.createContext("/loop", exchange -> {
            exchange.getResponseHeaders().add("Location", "/loop");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        start(endpointAt("loop", "http://127.0.0.1:" + listener.getAddress().getPort() + "/loop", Map.of(), 1,
                Duration.ofMillis(100)));
        notifications.completed(request("PUT", Optional.empty(), pushed("v1")));

        Endpoint endpoint = notifications.endpoints().getFirst();
        awaitCount(endpoint::failures, 2);
        assertThat(endpoint.failures()).isGreaterThanOrEqualTo(2);
        assertThat(endpoint.sent()).isZero();
    }

    @Test
    void sendsTheEventsStillWaitingWhenClosed() throws Exception {
        start(endpoint(3, Duration.ofMillis(10), Set.of(), Set.of(), 64));
        for (int i = 0; i < 20; i++) {
            notifications.completed(request("PUT", Optional.empty(), pushed("t" + i)));
        }
        notifications.close(Duration.ofSeconds(10));
        assertThat(received).hasSize(20);
    }
}
