package dev.berth.http;

import dev.berth.TestFiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.auth.AccessController;
import dev.berth.auth.OpenAccess;
import dev.berth.registry.Catalog;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.storage.CachingStorageDriver;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Berth server for one test: Jetty on a random loopback port over a fresh filesystem store, and the
 * HTTP calls tests make to it with {@link HttpClient}. Register it as an instance field,
 * {@code @RegisterExtension final TestRegistry registry = TestRegistry.withDefaults();}, so that every test
 * gets its own server and store and no test depends on another.
 *
 * <p>The store is {@code <temp>/storage}; {@code <temp>/outside/sentinel} lies beside it, so that
 * {@link #snapshot()}, which covers both, also catches a write that escapes the store.
 */
final class TestRegistry implements BeforeEachCallback, AfterEachCallback {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean deleteEnabled;
    private final ManifestRules manifestRules;
    private final Function<Path, AccessController> accessControl;
    private final Function<Path, ServerOptions> serverOptions;
    private Optional<String> authorization = Optional.empty();
    private int catalogMaxPage = Catalog.DEFAULT_MAX_PAGE;
    private Path directory;
    private RegistryServer server;
    private HttpClient client;

    private TestRegistry(boolean deleteEnabled, ManifestRules manifestRules,
                         Function<Path, AccessController> accessControl, Function<Path, ServerOptions> serverOptions) {
        this.deleteEnabled = deleteEnabled;
        this.manifestRules = manifestRules;
        this.accessControl = accessControl;
        this.serverOptions = serverOptions;
    }

    private TestRegistry(boolean deleteEnabled, ManifestRules manifestRules,
                         Function<Path, AccessController> accessControl) {
        this(deleteEnabled, manifestRules, accessControl, storage -> ServerOptions.defaults());
    }

    /**
     * A server presented as {@code options} say, made for each test from its store (for a readiness probe), and
     * with the access control {@code accessControl} makes from its temporary directory.
     */
    static TestRegistry withServerOptions(Function<Path, ServerOptions> options,
                                          Function<Path, AccessController> accessControl) {
        return new TestRegistry(true, ManifestRules.NO_URLS, accessControl, options);
    }

    static TestRegistry withServerOptions(Function<Path, ServerOptions> options) {
        return withServerOptions(options, directory -> new OpenAccess());
    }

    /** Deletes enabled, no foreign layer URLs allowed. */
    static TestRegistry withDefaults() {
        return new TestRegistry(true, ManifestRules.NO_URLS, directory -> new OpenAccess());
    }

    static TestRegistry withDeletesDisabled() {
        return new TestRegistry(false, ManifestRules.NO_URLS, directory -> new OpenAccess());
    }

    static TestRegistry withManifestRules(ManifestRules rules) {
        return new TestRegistry(true, rules, directory -> new OpenAccess());
    }

    /** Deletes enabled, catalog pages of at most {@code max} repositories ({@code catalog.maxentries}). */
    static TestRegistry withCatalogMaxPage(int max) {
        TestRegistry registry = withDefaults();
        registry.catalogMaxPage = max;
        return registry;
    }

    /** Access control made for each test from its temporary directory (where, say, an htpasswd file goes). */
    static TestRegistry withAccessControl(Function<Path, AccessController> accessControl) {
        return new TestRegistry(true, ManifestRules.NO_URLS, accessControl);
    }

    /** Sends Basic credentials with every request from now on. */
    TestRegistry as(String user, String password) {
        authorization = Optional.of("Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** Sends no credentials from now on. */
    TestRegistry anonymous() {
        authorization = Optional.empty();
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("berth-http-test-");
        Path storage = Files.createDirectories(directory.resolve("storage"));
        Files.writeString(Files.createDirectories(directory.resolve("outside")).resolve("sentinel"), "untouched");
        Registry registry = Registry.over(CachingStorageDriver.forLinks(new FilesystemDriver(storage)), deleteEnabled,
                manifestRules, Clock.systemUTC()).withCatalogMaxPage(catalogMaxPage);
        server = new RegistryServer(new InetSocketAddress("127.0.0.1", 0),
                new RegistryHandler(registry, accessControl.apply(directory)), serverOptions.apply(storage));
        server.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            client.close();
            server.close();
        } finally {
            if (directory != null) {
                TestFiles.deleteTree(directory);
            }
        }
    }

    int port() {
        return server.port();
    }

    /** The base URL, {@code http://127.0.0.1:<port>}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** A path (with query) on this server, or an absolute URL such as a {@code Location} header, as is. */
    URI uri(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl() + pathOrUrl);
    }

    /** The storage root ({@code docker/registry/v2/...} lies below it), for changes made as another process would. */
    Path storage() {
        return directory.resolve("storage");
    }

    /** Everything under the store and beside it, to compare before and after a request. */
    StoreSnapshot snapshot() {
        return StoreSnapshot.of(directory);
    }

    // --- plain HTTP ---

    HttpRequest.Builder request(String pathOrUrl) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathOrUrl)).timeout(TIMEOUT);
        authorization.ifPresent(value -> request.header("Authorization", value));
        return request;
    }

    HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> get(String pathOrUrl) {
        return send(request(pathOrUrl).GET());
    }

    HttpResponse<byte[]> head(String pathOrUrl) {
        return send(request(pathOrUrl).HEAD());
    }

    HttpResponse<byte[]> delete(String pathOrUrl) {
        return send(request(pathOrUrl).DELETE());
    }

    HttpResponse<byte[]> post(String pathOrUrl) {
        return send(request(pathOrUrl).POST(BodyPublishers.noBody()));
    }

    HttpResponse<byte[]> post(String pathOrUrl, byte[] body) {
        return send(request(pathOrUrl).header("Content-Type", "application/octet-stream")
                .POST(BodyPublishers.ofByteArray(body)));
    }

    HttpResponse<byte[]> put(String pathOrUrl, String contentType, byte[] body) {
        return send(request(pathOrUrl).header("Content-Type", contentType).PUT(BodyPublishers.ofByteArray(body)));
    }

    /** A PATCH with a known length and, unless {@code contentRange} is empty, that Content-Range. */
    HttpResponse<byte[]> patch(String pathOrUrl, byte[] body, String contentRange) {
        HttpRequest.Builder request = request(pathOrUrl).header("Content-Type", "application/octet-stream")
                .method("PATCH", BodyPublishers.ofByteArray(body));
        if (!contentRange.isEmpty()) {
            request.header("Content-Range", contentRange);
        }
        return send(request);
    }

    /** A PATCH streamed with chunked transfer encoding: no Content-Length, no Content-Range. */
    HttpResponse<byte[]> patchStreamed(String pathOrUrl, byte[] body) {
        return send(request(pathOrUrl).header("Content-Type", "application/octet-stream")
                .method("PATCH", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(new String(response.body(), StandardCharsets.UTF_8), e);
        }
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name)
                .orElseThrow(() -> new AssertionError("no " + name + " header in " + response.headers().map()));
    }

    // --- registry operations, each asserting that it succeeded ---

    /** Pushes a blob with a single POST and returns its digest. */
    String pushBlob(String repository, TestBlob blob) {
        HttpResponse<byte[]> response = post("/v2/" + repository + "/blobs/uploads/?digest=" + blob.digest(),
                blob.bytes());
        assertThat(response.statusCode()).as("pushing blob to %s", repository).isEqualTo(201);
        return blob.digest();
    }

    /** Starts an upload session and returns its Location. */
    String startUpload(String repository) {
        HttpResponse<byte[]> response = post("/v2/" + repository + "/blobs/uploads/");
        assertThat(response.statusCode()).as("starting an upload in %s", repository).isEqualTo(202);
        return header(response, "Location");
    }

    /** Pushes a manifest under a tag or digest and returns it. */
    TestManifest pushManifest(String repository, String reference, TestManifest manifest) {
        HttpResponse<byte[]> response = putManifest(repository, reference, manifest);
        assertThat(response.statusCode()).as("pushing manifest %s:%s: %s", repository, reference,
                new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        return manifest;
    }

    HttpResponse<byte[]> putManifest(String repository, String reference, TestManifest manifest) {
        return put("/v2/" + repository + "/manifests/" + reference, manifest.mediaType(), manifest.bytes());
    }

    /** Pushes a random one-layer OCI image (config, layer, manifest) under {@code tag}. */
    TestManifest pushImage(String repository, String tag) {
        return pushManifest(repository, tag, image(repository).build());
    }

    /** Pushes a random config and layer, and returns a builder of an OCI image manifest naming them. */
    ManifestBuilder image(String repository) {
        TestBlob config = TestBlob.random(64);
        TestBlob layer = TestBlob.random(512);
        pushBlob(repository, config);
        pushBlob(repository, layer);
        return ManifestBuilder.ociImage(config, layer);
    }
}
