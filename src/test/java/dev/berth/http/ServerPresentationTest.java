package dev.berth.http;

import static dev.berth.http.TestRegistry.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code http.prefix}, {@code http.host}, {@code http.relativeurls}, {@code http.headers} and proxy headers. */
class ServerPresentationTest {

    private static ServerOptions options(String prefix, Optional<URI> host, boolean relative,
                                         Map<String, List<String>> headers) {
        return new ServerOptions(prefix, host, relative, Duration.ofSeconds(1), headers, List.of(), Optional.empty(),
                Optional.empty());
    }

    @Nested
    class UnderAPrefix {

        @RegisterExtension
        final TestRegistry registry = TestRegistry.withServerOptions(storage -> options("/mirror", Optional.empty(),
                false, Map.of()));

        @Test
        void servesTheApiUnderThePrefixOnly() {
            assertThat(registry.get("/mirror/v2/").statusCode()).isEqualTo(200);
            assertThat(registry.get("/v2/").statusCode()).isEqualTo(404);
        }

        @Test
        void handsOutLocationsAndLinksUnderThePrefix() {
            HttpResponse<byte[]> started = registry.post("/mirror/v2/team/app/blobs/uploads/");
            assertThat(header(started, "Location"))
                    .startsWith(registry.baseUrl() + "/mirror/v2/team/app/blobs/uploads/");
            TestBlob blob = TestBlob.random(100);
            HttpResponse<byte[]> done = registry.put(header(started, "Location") + "?digest=" + blob.digest(),
                    "application/octet-stream", blob.bytes());
            assertThat(done.statusCode()).isEqualTo(201);
            assertThat(registry.head("/mirror/v2/team/app/blobs/" + blob.digest()).statusCode()).isEqualTo(200);
            for (String repository : List.of("team/a", "team/b")) {
                TestBlob config = TestBlob.random(10);
                registry.post("/mirror/v2/" + repository + "/blobs/uploads/?digest=" + config.digest(), config.bytes());
                registry.post("/mirror/v2/" + repository + "/blobs/uploads/?digest=" + blob.digest(), blob.bytes());
                TestManifest manifest = ManifestBuilder.ociImage(config, blob).build();
                assertThat(registry.put("/mirror/v2/" + repository + "/manifests/v1", manifest.mediaType(),
                        manifest.bytes()).statusCode()).isEqualTo(201);
            }
            assertThat(header(registry.get("/mirror/v2/_catalog?n=1"), "Link"))
                    .startsWith("</mirror/v2/_catalog?n=1&last=");
        }
    }

    @Nested
    class WithAPublicHost {

        @RegisterExtension
        final TestRegistry registry = TestRegistry.withServerOptions(storage -> options("",
                Optional.of(URI.create("https://registry.example.com")), false, Map.of()));

        @Test
        void locationsNameTheConfiguredHostWhateverTheClientUsed() {
            assertThat(header(registry.post("/v2/team/app/blobs/uploads/"), "Location"))
                    .startsWith("https://registry.example.com/v2/team/app/blobs/uploads/");
            assertThat(header(registry.send(registry.request("/v2/team/app/blobs/uploads/")
                    .header("X-Forwarded-Host", "elsewhere.example.com").POST(java.net.http.HttpRequest
                            .BodyPublishers.noBody())), "Location"))
                    .startsWith("https://registry.example.com/v2/");
        }
    }

    @Nested
    class WithAPublicHostUnderAPath {

        @RegisterExtension
        final TestRegistry registry = TestRegistry.withServerOptions(storage -> options("",
                Optional.of(URI.create("https://registry.example.com/sub")), false, Map.of()));

        @Test
        void locationsCarryItsPathAsDistributionsDo() {
            assertThat(header(registry.post("/v2/team/app/blobs/uploads/"), "Location"))
                    .startsWith("https://registry.example.com/sub/v2/team/app/blobs/uploads/");
        }
    }

    /**
     * As distribution: the host's path replaces the prefix in the URLs handed out, which are absolute, while a
     * listing's next page is linked by the path the request used.
     */
    @Nested
    class WithAPublicHostAndAPrefix {

        @RegisterExtension
        final TestRegistry registry = TestRegistry.withServerOptions(storage -> options("/mirror",
                Optional.of(URI.create("https://registry.example.com/pub")), true, Map.of()));

        @Test
        void locationsAreTheHostsAndLinksTheRequests() {
            assertThat(header(registry.post("/mirror/v2/team/app/blobs/uploads/"), "Location"))
                    .startsWith("https://registry.example.com/pub/v2/team/app/blobs/uploads/");
            TestBlob config = TestBlob.random(10);
            TestBlob layer = TestBlob.random(100);
            registry.post("/mirror/v2/team/app/blobs/uploads/?digest=" + config.digest(), config.bytes());
            registry.post("/mirror/v2/team/app/blobs/uploads/?digest=" + layer.digest(), layer.bytes());
            TestManifest manifest = ManifestBuilder.ociImage(config, layer).build();
            for (String tag : List.of("v1", "v2")) {
                assertThat(registry.put("/mirror/v2/team/app/manifests/" + tag, manifest.mediaType(),
                        manifest.bytes()).statusCode()).isEqualTo(201);
            }
            assertThat(header(registry.get("/mirror/v2/team/app/tags/list?n=1"), "Link"))
                    .startsWith("</mirror/v2/team/app/tags/list?n=1&last=v1");
        }
    }

    @Nested
    class WithRelativeUrls {

        @RegisterExtension
        final TestRegistry registry = TestRegistry.withServerOptions(storage -> options("/mirror", Optional.empty(),
                true, Map.of()));

        @Test
        void locationsAreAbsolutePaths() {
            assertThat(header(registry.post("/mirror/v2/team/app/blobs/uploads/"), "Location"))
                    .startsWith("/mirror/v2/team/app/blobs/uploads/");
        }
    }

    /** A registry UI in a browser, allowed by CORS headers in {@code http.headers}, as distribution serves it. */
    @Nested
    class ForABrowserUi {

        @RegisterExtension
        final TestRegistry registry = TestRegistry.withServerOptions(storage -> options("", Optional.empty(), false,
                Map.of("Access-Control-Allow-Origin", List.of("https://ui.example.com"),
                        "Access-Control-Allow-Methods", List.of("HEAD,GET,OPTIONS,DELETE"))));

        private HttpResponse<byte[]> preflight(String path) {
            return registry.send(registry.request(path).header("Origin", "https://ui.example.com")
                    .header("Access-Control-Request-Method", "DELETE")
                    .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()));
        }

        @Test
        void answersPreflightsWithEachRoutesMethods() {
            registry.pushImage("team/app", "v1");
            Map<String, String> allowed = Map.of(
                    "/v2/", "GET, HEAD, OPTIONS",
                    "/v2/_catalog", "GET, HEAD, OPTIONS",
                    "/v2/team/app/manifests/v1", "GET, HEAD, PUT, DELETE, OPTIONS",
                    "/v2/team/app/blobs/" + TestBlob.EMPTY_JSON.digest(), "GET, HEAD, DELETE, OPTIONS",
                    "/v2/team/app/blobs/uploads/", "POST, OPTIONS");
            allowed.forEach((path, methods) -> {
                HttpResponse<byte[]> response = preflight(path);
                assertThat(response.statusCode()).as(path).isEqualTo(200);
                assertThat(header(response, "Allow")).as(path).isEqualTo(methods);
                assertThat(header(response, "Access-Control-Allow-Origin")).isEqualTo("https://ui.example.com");
                assertThat(response.body()).as(path).isEmpty();
            });
            assertThat(registry.get("/v2/team/app/tags/list").statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class BehindAReverseProxy {

        @RegisterExtension
        final TestRegistry registry = TestRegistry.withServerOptions(storage -> options("", Optional.empty(),
                false, Map.of("X-Content-Type-Options", List.of("nosniff"), "X-Frame-Options", List.of("DENY"))));

        private String uploadLocation(String headerName, String headerValue) {
            return header(registry.send(registry.request("/v2/team/app/blobs/uploads/")
                    .header(headerName, headerValue).POST(java.net.http.HttpRequest.BodyPublishers.noBody())),
                    "Location");
        }

        @Test
        void followsXForwardedProtoAndHost() {
            String location = header(registry.send(registry.request("/v2/team/app/blobs/uploads/")
                    .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "registry.example.com")
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody())), "Location");
            assertThat(location).startsWith("https://registry.example.com/v2/team/app/blobs/uploads/");
        }

        /** Common proxy settings fill these with the proxy's inner port or its own name: distribution ignores both. */
        @Test
        void ignoresXForwardedPortAndServer() {
            for (String header : List.of("X-Forwarded-Port: 443", "X-Forwarded-Server: proxy1.internal")) {
                RawHttp.Response response = RawHttp.send(registry.port(),
                        "POST /v2/team/app/blobs/uploads/ HTTP/1.1", new byte[0], "Content-Length: 0",
                        "X-Forwarded-Proto: https", header);

                assertThat(response.header("Location")).as(header).hasValueSatisfying(location ->
                        assertThat(location).startsWith("https://127.0.0.1:" + registry.port() + "/v2/team/app/"));
            }
        }

        /** What a proxy behind a TLS load balancer passes on: its own port, the client's scheme. */
        @Test
        void takesAHostWithThePortOfAnotherScheme() {
            RawHttp.Response response = RawHttp.sendWithHost(registry.port(), "registry.example.com:80",
                    "POST /v2/team/app/blobs/uploads/ HTTP/1.1", new byte[0], "Content-Length: 0",
                    "X-Forwarded-Proto: https");

            assertThat(response.status()).as(response.text()).isEqualTo(202);
        }

        @Test
        void followsTheForwardedHeader() {
            assertThat(uploadLocation("Forwarded", "for=10.0.0.1;proto=https;host=hub.example.com:8443"))
                    .startsWith("https://hub.example.com:8443/v2/team/app/blobs/uploads/");
        }

        @Test
        void addsTheConfiguredHeadersToEveryResponseErrorsIncluded() {
            for (HttpResponse<byte[]> response : List.of(registry.get("/v2/"),
                    registry.get("/v2/team/app/manifests/missing"), registry.get("/v2/team/app/blobs/sha256:nothex"),
                    registry.post("/v2/team/app/blobs/uploads/"))) {
                assertThat(response.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
                assertThat(response.headers().allValues("X-Frame-Options")).containsExactly("DENY");
            }
        }
    }
}
