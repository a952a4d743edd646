package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.auth.AccessController;
import dev.berth.auth.OpenAccess;
import dev.berth.gc.BackgroundCollection;
import dev.berth.oci.Descriptor;
import dev.berth.oci.RepositoryName;
import dev.berth.gc.GarbageCollector;
import dev.berth.gc.GcOptions;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.registry.TestImages;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminHandlerTest {

    @TempDir
    Path root;

    private RegistryServer server;
    private Registry registry;
    private final List<ContentEvent> events = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private void start(AccessController access) throws Exception {
        start(access, true);
    }

    private void start(AccessController access, boolean deleteEnabled) throws Exception {
        FilesystemDriver storage = new FilesystemDriver(root);
        registry = Registry.over(storage, deleteEnabled, ManifestRules.NO_URLS, Clock.systemUTC());
        BackgroundCollection collection = new BackgroundCollection(new GarbageCollector(storage, registry),
                new GcOptions(false, false, Duration.ZERO), report -> { });
        RequestObserver notifications = new RequestObserver() {
            @Override
            public void completed(RequestRecord request) {
                events.addAll(request.events());
            }

            @Override
            public boolean readsEvents() {
                return true;
            }
        };
        server = new RegistryServer(new InetSocketAddress("127.0.0.1", 0),
                new AdminHandler(new RegistryHandler(registry, access), registry, collection),
                new ServerOptions("", Optional.empty(), false, Duration.ofSeconds(5), Map.of(), List.of(notifications),
                        Optional.empty(), Optional.empty()));
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void deletesARepositoryThenCollectsItsBlobs() throws Exception {
        start(new OpenAccess());
        TestImages images = new TestImages(registry);
        images.image("team/app", "v1", "config", images.layer("team/app", "layer"));

        events.clear();
        assertThat(send("DELETE", "/admin/repositories/team/app").statusCode()).isEqualTo(202);
        assertThat(send("GET", "/v2/_catalog").body()).isEqualTo("{\"repositories\":[]}");
        // told as distribution 3 tells a repository deleted: a delete naming only the repository (observers hear of
        // a request once its response is complete, perhaps just after the client has it)
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(events).containsExactly(new ContentEvent(ContentEvent.Action.DELETE,
                RepositoryName.parse("team/app"), Optional.empty(), Optional.empty(), 0, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()));
        HttpResponse<String> again = send("DELETE", "/admin/repositories/team/app");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).contains("NAME_UNKNOWN");

        HttpResponse<String> collected = send("POST", "/admin/gc");
        assertThat(collected.statusCode()).isEqualTo(200);
        assertThat(collected.body()).contains("\"blobsDeleted\":3", "\"layerLinksDeleted\":0");
    }

    @Test
    void keepsRepositoriesWhileDeletesAreDisabled() throws Exception {
        start(new OpenAccess(), false);
        TestImages images = new TestImages(registry);
        images.image("team/app", "v1", "config", images.layer("team/app", "layer"));

        HttpResponse<String> refused = send("DELETE", "/admin/repositories/team/app");

        assertThat(refused.statusCode()).isEqualTo(405);
        assertThat(refused.body()).contains("UNSUPPORTED", "storage.delete.enabled");
        assertThat(refused.headers().firstValue("Allow")).hasValue("");
        assertThat(send("GET", "/v2/_catalog").body()).isEqualTo("{\"repositories\":[\"team/app\"]}");
        assertThat(send("GET", "/v2/team/app/manifests/v1").statusCode()).isEqualTo(200);
    }

    /** Without authentication: a request a proxy forwarded is no local client's, whatever it claims. */
    @Test
    void refusesForwardedRequestsWithoutAuthentication() throws Exception {
        start(new OpenAccess());
        for (String forwarded : List.of("X-Forwarded-For: 127.0.0.1", "Forwarded: for=127.0.0.1",
                "X-Real-IP: 127.0.0.1", "X-Forwarded-For: unknown")) {
            RawHttp.Response refused = RawHttp.send(server.port(), "POST /admin/gc HTTP/1.1", new byte[0],
                    "Content-Length: 0", forwarded);
            assertThat(refused.status()).as(forwarded).isEqualTo(403);
        }
        assertThat(send("POST", "/admin/gc").statusCode()).isEqualTo(200);
    }

    @Test
    void answersOnlyItsOwnMethodsAndPaths() throws Exception {
        start(new OpenAccess());
        assertThat(send("GET", "/admin/gc").statusCode()).isEqualTo(405);
        assertThat(send("POST", "/admin/nothing").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v2/").statusCode()).isEqualTo(200);
    }

    @Test
    void changesNothingInReadOnlyMode() throws Exception {
        start(new ReadOnlyAccess(new OpenAccess()));
        TestImages images = new TestImages(registry);
        images.image("team/app", "v1", "config", images.layer("team/app", "layer"));
        Descriptor unreferenced = images.layer("team/app", "unreferenced");

        for (HttpResponse<String> refused : List.of(send("DELETE", "/admin/repositories/team/app"),
                send("POST", "/admin/gc"))) {
            assertThat(refused.statusCode()).isEqualTo(405);
            assertThat(refused.body()).contains("UNSUPPORTED");
        }
        assertThat(send("GET", "/v2/_catalog").body()).isEqualTo("{\"repositories\":[\"team/app\"]}");
        assertThat(send("GET", "/v2/team/app/manifests/v1").statusCode()).isEqualTo(200);
        assertThat(send("HEAD", "/v2/team/app/blobs/" + unreferenced.digest()).statusCode()).isEqualTo(200);
    }
}
