package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.http.ContentEvent.Action;
import dev.berth.oci.MediaType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What each request did to content, as observers (notifications) are told it: pushes, pulls (HEAD included),
 * mounts and deletes, as distribution reports them, and nothing for what failed or changed nothing.
 */
class ContentEventsTest {

    private final List<RequestRecord> records = new CopyOnWriteArrayList<>();
    private final RequestObserver notifications = new RequestObserver() {
        @Override
        public void completed(RequestRecord request) {
            records.add(request);
        }

        @Override
        public boolean readsEvents() {
            return true;
        }
    };

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withServerOptions(
            storage -> new ServerOptions("", Optional.empty(), false, Duration.ofSeconds(1), Map.of(),
                    List.of(notifications), Optional.empty(), Optional.empty()));

    /** The records of the requests made since the last call; they arrive as each response completes. */
    private List<RequestRecord> records(int requests) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (records.size() < requests && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(records).hasSize(requests);
        List<RequestRecord> made = List.copyOf(records);
        records.clear();
        return made;
    }

    /** The events of the requests made since the last call. */
    private List<String> events(int requests) {
        return records(requests).stream().flatMap(r -> r.events().stream()).map(ContentEventsTest::describe).toList();
    }

    private static String describe(ContentEvent e) {
        return String.join(" ", e.action().value(), e.repository().toString(),
                e.digest().map(Object::toString).orElse("-"), e.mediaType().orElse("-"), Long.toString(e.size()),
                e.tag().map(Object::toString).orElse("-"), e.from().map(Object::toString).orElse("-"),
                e.url().orElse("-"));
    }

    private String blobUrl(String repository, String digest) {
        return registry.baseUrl() + "/v2/" + repository + "/blobs/" + digest;
    }

    private String manifestUrl(String repository, String digest) {
        return registry.baseUrl() + "/v2/" + repository + "/manifests/" + digest;
    }

    @Test
    void tellsBlobPushesByEitherUploadAndEveryPullHeadIncluded() {
        TestBlob monolithic = TestBlob.random(300);
        TestBlob session = TestBlob.random(700);
        registry.pushBlob("team/app", monolithic);
        String upload = registry.startUpload("team/app");
        String completion = upload + (upload.contains("?") ? "&" : "?") + "digest=" + session.digest();
        assertThat(registry.put(completion, MediaType.OCTET_STREAM, session.bytes())
                .statusCode()).isEqualTo(201);
        assertThat(events(3)).containsExactly(
                "push team/app " + monolithic.digest() + " application/octet-stream 300 - - "
                        + blobUrl("team/app", monolithic.digest()),
                "push team/app " + session.digest() + " application/octet-stream 700 - - "
                        + blobUrl("team/app", session.digest()));

        registry.head("/v2/team/app/blobs/" + session.digest());
        registry.get("/v2/team/app/blobs/" + session.digest());
        String pull = "pull team/app " + session.digest() + " application/octet-stream 700 - - "
                + blobUrl("team/app", session.digest());
        assertThat(events(2)).containsExactly(pull, pull);
    }

    @Test
    void tellsManifestPushesAndPullsWithTheTagTheyNamed() {
        TestManifest manifest = registry.image("team/app").build();
        events(2);
        registry.pushManifest("team/app", "v1", manifest);
        registry.pushManifest("team/app", manifest.digest() + "?tag=a&tag=b", manifest);
        String pushed = "push team/app " + manifest.digest() + " " + manifest.mediaType() + " "
                + manifest.bytes().length + " ";
        String url = " - " + manifestUrl("team/app", manifest.digest());
        assertThat(events(2)).containsExactly(pushed + "v1" + url, pushed + "a" + url, pushed + "b" + url);

        registry.head("/v2/team/app/manifests/v1");
        registry.get("/v2/team/app/manifests/" + manifest.digest());
        String pulled = "pull" + pushed.substring("push".length());
        assertThat(events(2)).containsExactly(pulled + "v1" + url, pulled + "-" + url);
    }

    @Test
    void carriesTheManifestsBytesForListenersToldWhatItReferences() {
        TestManifest manifest = registry.image("team/app").build();
        records(2);
        registry.pushManifest("team/app", "v1", manifest);
        registry.get("/v2/team/app/manifests/v1");
        assertThat(records(2)).allSatisfy(record -> {
            java.nio.ByteBuffer bytes = record.events().getFirst().manifest().orElseThrow();
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            assertThat(copy).isEqualTo(manifest.bytes());
        });
    }

    @Test
    void tellsAMountWithTheRepositoryItCameFrom() {
        TestBlob blob = TestBlob.random(100);
        registry.pushBlob("team/app", blob);
        events(1);
        assertThat(registry.post("/v2/team/other/blobs/uploads/?mount=" + blob.digest() + "&from=team/app")
                .statusCode()).isEqualTo(201);
        assertThat(events(1)).containsExactly("mount team/other " + blob.digest()
                + " application/octet-stream 100 - team/app " + blobUrl("team/other", blob.digest()));
    }

    @Test
    void tellsADeletedManifestByDigestAndEachTagItTookAlong() {
        TestManifest manifest = registry.pushImage("team/app", "v1");
        registry.pushManifest("team/app", "latest", manifest);
        registry.pushImage("team/app", "v2");
        records(7); // two images of a config, a layer and a manifest each, and a tag

        registry.delete("/v2/team/app/manifests/" + manifest.digest());
        assertThat(events(1)).containsExactlyInAnyOrder("delete team/app " + manifest.digest() + " - 0 - - -",
                "delete team/app - - 0 latest - -", "delete team/app - - 0 v1 - -");
        registry.delete("/v2/team/app/manifests/v2");
        assertThat(events(1)).containsExactly("delete team/app - - 0 v2 - -");
    }

    @Test
    void tellsADeletedBlob() {
        TestBlob blob = TestBlob.random(100);
        registry.pushBlob("team/app", blob);
        events(1);
        assertThat(registry.delete("/v2/team/app/blobs/" + blob.digest()).statusCode()).isEqualTo(202);
        assertThat(events(1)).containsExactly("delete team/app " + blob.digest() + " - 0 - - -");
    }

    @Test
    void tellsNothingOfWhatFailedOrWasAnsweredNotModified() {
        TestBlob blob = TestBlob.random(100);
        TestBlob other = TestBlob.random(100);
        assertThat(registry.post("/v2/team/app/blobs/uploads/?digest=" + other.digest(), blob.bytes())
                .statusCode()).isEqualTo(400);
        assertThat(registry.get("/v2/team/app/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
        assertThat(registry.get("/v2/team/app/manifests/v1").statusCode()).isEqualTo(404);
        TestManifest manifest = registry.pushImage("team/app", "v1");
        events(6);
        assertThat(registry.send(registry.request("/v2/team/app/manifests/v1")
                .header("If-None-Match", "\"" + manifest.digest() + "\"")).statusCode()).isEqualTo(304);
        assertThat(events(1)).isEmpty();
    }
}
