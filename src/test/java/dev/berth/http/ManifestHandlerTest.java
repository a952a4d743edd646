package dev.berth.http;

import static dev.berth.http.ErrorEnvelope.assertError;
import static dev.berth.http.TestRegistry.header;
import static dev.berth.http.TestRegistry.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code /v2/<name>/manifests/<reference>}: pushing, pulling and deleting every manifest type Berth serves. */
class ManifestHandlerTest {

    /** Pushes what a manifest references to a repository and returns the manifest, not yet pushed. */
    @FunctionalInterface
    interface ManifestKind {
        TestManifest prepare(TestRegistry registry, String repository);
    }

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withDefaults();

    static Stream<Named<ManifestKind>> kinds() {
        return Stream.of(
                Named.of("OCI image manifest", (registry, repository) -> registry.image(repository).build()),
                Named.of("OCI image index", (registry, repository) -> ManifestBuilder.ociIndex(
                        pushedByDigest(registry, repository, registry.image(repository).build()),
                        pushedByDigest(registry, repository, registry.image(repository).build())).build()),
                Named.of("Docker schema 2 manifest", ManifestHandlerTest::dockerImage),
                Named.of("Docker manifest list", (registry, repository) -> ManifestBuilder.dockerList(
                        pushedByDigest(registry, repository, dockerImage(registry, repository)),
                        pushedByDigest(registry, repository, dockerImage(registry, repository))).build()),
                Named.of("OCI artifact with empty config", (registry, repository) -> {
                    TestBlob sbom = TestBlob.of("{\"sbom\":true}");
                    registry.pushBlob(repository, TestBlob.EMPTY_JSON);
                    registry.pushBlob(repository, sbom);
                    return ManifestBuilder.artifact("application/vnd.example.sbom.v1", sbom).build();
                }));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void pushesByTagAndServesExactBytesByTagAndDigest(ManifestKind kind) {
        TestManifest manifest = kind.prepare(registry, "repo");

        HttpResponse<byte[]> put = registry.putManifest("repo", "v1", manifest);

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "Docker-Content-Digest")).isEqualTo(manifest.digest());
        assertThat(header(put, "Location"))
                .isEqualTo(registry.baseUrl() + "/v2/repo/manifests/" + manifest.digest());
        for (String reference : List.of("v1", manifest.digest())) {
            HttpResponse<byte[]> get = registry.get("/v2/repo/manifests/" + reference);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(manifest.bytes());
            assertServedAs(get, manifest);
            HttpResponse<byte[]> head = registry.head("/v2/repo/manifests/" + reference);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertServedAs(head, manifest);
        }
        assertThat(registry.get(header(put, "Location")).body()).isEqualTo(manifest.bytes());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void pushesByDigest(ManifestKind kind) {
        TestManifest manifest = kind.prepare(registry, "repo");

        HttpResponse<byte[]> put = registry.putManifest("repo", manifest.digest(), manifest);

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "Docker-Content-Digest")).isEqualTo(manifest.digest());
        HttpResponse<byte[]> get = registry.get("/v2/repo/manifests/" + manifest.digest());
        assertThat(get.body()).isEqualTo(manifest.bytes());
        assertServedAs(get, manifest);
    }

    @Test
    void pushesBySha512Digest() {
        TestManifest manifest = registry.image("repo").build();
        String sha512 = TestBlob.digest(manifest.bytes(), "sha512");

        HttpResponse<byte[]> put = registry.putManifest("repo", sha512, manifest);

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "Docker-Content-Digest")).isEqualTo(sha512);
        HttpResponse<byte[]> get = registry.get("/v2/repo/manifests/" + sha512);
        assertThat(get.body()).isEqualTo(manifest.bytes());
        assertThat(header(get, "Docker-Content-Digest")).isEqualTo(sha512);
    }

    @Test
    void createsEveryTagParameterOfPushByDigest() {
        TestManifest manifest = registry.image("repo").build();

        HttpResponse<byte[]> put = registry.put("/v2/repo/manifests/" + manifest.digest() + "?tag=a&tag=b",
                manifest.mediaType(), manifest.bytes());

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(registry.get("/v2/repo/manifests/a").body()).isEqualTo(manifest.bytes());
        assertThat(registry.get("/v2/repo/manifests/b").body()).isEqualTo(manifest.bytes());
        assertThat(tags("repo")).containsExactly("a", "b");
    }

    @Test
    void ignoresContentTypeParameters() {
        TestManifest manifest = registry.image("repo").build();

        HttpResponse<byte[]> put = registry.put("/v2/repo/manifests/latest", manifest.mediaType() + "; charset=utf-8",
                manifest.bytes());

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(registry.get("/v2/repo/manifests/latest"), "Content-Type")).isEqualTo(manifest.mediaType());
    }

    @Test
    void movesTagToTheManifestPushedLast() {
        TestManifest first = registry.pushImage("repo", "latest");
        TestManifest second = registry.pushImage("repo", "latest");

        assertThat(registry.get("/v2/repo/manifests/latest").body()).isEqualTo(second.bytes());
        assertThat(registry.get("/v2/repo/manifests/" + first.digest()).body()).isEqualTo(first.bytes());
    }

    @Test
    void seesATagMovedByAnotherProcessAtOnce() throws Exception {
        TestManifest first = registry.pushImage("repo", "latest");
        TestManifest second = registry.pushImage("repo", "other");
        assertThat(registry.get("/v2/repo/manifests/latest").body()).isEqualTo(first.bytes());

        // what a second server on the same storage does: a new link file renamed over the old one
        Path link = registry.storage()
                .resolve("docker/registry/v2/repositories/repo/_manifests/tags/latest/current/link");
        Path temp = link.resolveSibling("replacement");
        Files.writeString(temp, second.digest());
        Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        assertThat(registry.get("/v2/repo/manifests/latest").body()).isEqualTo(second.bytes());
    }

    @Test
    void stopsServingAManifestAnotherProcessUnlinked() throws Exception {
        TestManifest manifest = registry.pushImage("repo", "latest");
        assertThat(registry.get("/v2/repo/manifests/" + manifest.digest()).statusCode()).isEqualTo(200);

        Files.delete(registry.storage().resolve("docker/registry/v2/repositories/repo/_manifests/revisions/sha256/"
                + manifest.digest().substring("sha256:".length()) + "/link"));

        assertThat(registry.get("/v2/repo/manifests/" + manifest.digest()).statusCode()).isEqualTo(404);
        assertThat(registry.get("/v2/repo/manifests/latest").statusCode()).isEqualTo(404);
    }

    /**
     * RFC 9110 §13.1: a write whose condition fails is not performed (412). The OCI spec suggests conditional pushes
     * to clients that update a shared index behind a tag: of two that read the same version, one must lose.
     */
    @Test
    void writesATagOnlyWhenItsConditionHolds() {
        TestManifest first = registry.pushImage("repo", "latest");
        TestManifest second = registry.image("repo").build();
        String firstTag = "\"" + first.digest() + "\"";

        assertThat(conditionalPut("latest", second, "If-Match", "\"sha256:" + "0".repeat(64) + "\"").statusCode())
                .isEqualTo(412);
        assertThat(conditionalPut("latest", second, "If-None-Match", "*").statusCode()).isEqualTo(412);
        assertThat(conditionalPut("absent", second, "If-Match", "*").statusCode()).isEqualTo(412);
        assertThat(header(registry.head("/v2/repo/manifests/latest"), "Docker-Content-Digest"))
                .as("refused writes change nothing").isEqualTo(first.digest());
        assertThat(registry.head("/v2/repo/manifests/absent").statusCode()).isEqualTo(404);

        assertThat(conditionalPut("latest", second, "If-Match", firstTag).statusCode()).isEqualTo(201);
        assertThat(header(registry.head("/v2/repo/manifests/latest"), "Docker-Content-Digest"))
                .isEqualTo(second.digest());
        assertThat(conditionalPut("latest", first, "If-Match", firstTag).statusCode())
                .as("a second writer that read the same version loses").isEqualTo(412);
        assertThat(conditionalPut("new", first, "If-None-Match", "*").statusCode()).isEqualTo(201);
        assertThat(conditionalPut(first.digest() + "?tag=latest", first, "If-None-Match", "*").statusCode())
                .as("a condition cannot cover the tags of ?tag=").isEqualTo(400);
        assertThat(header(registry.head("/v2/repo/manifests/latest"), "Docker-Content-Digest"))
                .isEqualTo(second.digest());
    }

    @Test
    void deletesOnlyWhenTheConditionHolds() {
        TestManifest manifest = registry.pushImage("repo", "latest");
        HttpRequest.Builder stale = registry.request("/v2/repo/manifests/latest")
                .header("If-Match", "\"sha256:" + "0".repeat(64) + "\"").DELETE();
        assertThat(registry.send(stale).statusCode()).isEqualTo(412);
        assertThat(registry.head("/v2/repo/manifests/latest").statusCode()).isEqualTo(200);

        HttpRequest.Builder current = registry.request("/v2/repo/manifests/" + manifest.digest())
                .header("If-Match", "\"" + manifest.digest() + "\"").DELETE();
        assertThat(registry.send(current).statusCode()).isEqualTo(202);
        assertThat(registry.head("/v2/repo/manifests/latest").statusCode()).isEqualTo(404);
    }

    private HttpResponse<byte[]> conditionalPut(String tag, TestManifest manifest, String header, String value) {
        return registry.send(registry.request("/v2/repo/manifests/" + tag).header(header, value)
                .header("Content-Type", manifest.mediaType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.bytes())));
    }

    @Test
    void answersIfNoneMatchOfItsDigestWith304AndNoBody() {
        TestManifest manifest = registry.pushImage("repo", "latest");

        HttpResponse<byte[]> unchanged = registry.send(registry.request("/v2/repo/manifests/latest")
                .header("If-None-Match", "\"" + manifest.digest() + "\"").GET());
        HttpResponse<byte[]> changed = registry.send(registry.request("/v2/repo/manifests/latest")
                .header("If-None-Match", "\"sha256:" + "0".repeat(64) + "\"").GET());

        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(header(unchanged, "Docker-Content-Digest")).isEqualTo(manifest.digest());
        assertThat(header(unchanged, "Content-Length")).isEqualTo(String.valueOf(manifest.bytes().length));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(manifest.bytes());
    }

    @Test
    void answersUnknownManifestWith404() {
        registry.pushImage("repo", "latest");
        String unknown = TestBlob.random(10).digest();

        assertError(registry.get("/v2/repo/manifests/missing"), 404, "MANIFEST_UNKNOWN");
        assertError(registry.get("/v2/repo/manifests/" + unknown), 404, "MANIFEST_UNKNOWN");
        assertThat(registry.head("/v2/repo/manifests/missing").statusCode()).isEqualTo(404);
        assertError(registry.get("/v2/nowhere/manifests/latest"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void doesNotServeManifestOfAnotherRepository() {
        TestManifest manifest = registry.pushImage("owner", "latest");

        assertError(registry.get("/v2/other/manifests/" + manifest.digest()), 404, "MANIFEST_UNKNOWN");
        assertError(registry.get("/v2/other/manifests/latest"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deletesOnlyTheTag() {
        TestManifest manifest = registry.pushImage("repo", "latest");
        registry.pushManifest("repo", "stable", manifest);

        HttpResponse<byte[]> delete = registry.delete("/v2/repo/manifests/latest");

        assertThat(delete.statusCode()).isEqualTo(202);
        assertError(registry.get("/v2/repo/manifests/latest"), 404, "MANIFEST_UNKNOWN");
        assertThat(registry.get("/v2/repo/manifests/" + manifest.digest()).body()).isEqualTo(manifest.bytes());
        assertThat(registry.get("/v2/repo/manifests/stable").body()).isEqualTo(manifest.bytes());
        assertThat(tags("repo")).containsExactly("stable");
    }

    @Test
    void deletesManifestByDigestWithTheTagsNamingIt() {
        TestManifest deleted = registry.pushImage("repo", "a");
        registry.pushManifest("repo", "b", deleted);
        TestManifest kept = registry.pushImage("repo", "c");

        HttpResponse<byte[]> delete = registry.delete("/v2/repo/manifests/" + deleted.digest());

        assertThat(delete.statusCode()).isEqualTo(202);
        assertError(registry.get("/v2/repo/manifests/" + deleted.digest()), 404, "MANIFEST_UNKNOWN");
        assertError(registry.get("/v2/repo/manifests/a"), 404, "MANIFEST_UNKNOWN");
        assertError(registry.get("/v2/repo/manifests/b"), 404, "MANIFEST_UNKNOWN");
        assertThat(registry.get("/v2/repo/manifests/c").body()).isEqualTo(kept.bytes());
        assertThat(tags("repo")).containsExactly("c");
    }

    @Test
    void deletesUntaggedManifestByDigest() {
        TestManifest manifest = pushedByDigest(registry, "repo", registry.image("repo").build());

        assertThat(registry.delete("/v2/repo/manifests/" + manifest.digest()).statusCode()).isEqualTo(202);
        assertError(registry.get("/v2/repo/manifests/" + manifest.digest()), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void answersDeleteOfUnknownManifestWith404() {
        registry.pushImage("repo", "latest");
        StoreSnapshot before = registry.snapshot();

        assertError(registry.delete("/v2/repo/manifests/missing"), 404, "MANIFEST_UNKNOWN");
        assertError(registry.delete("/v2/repo/manifests/" + TestBlob.random(10).digest()), 404, "MANIFEST_UNKNOWN");
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    private static void assertServedAs(HttpResponse<byte[]> response, TestManifest manifest) {
        assertThat(header(response, "Content-Type")).isEqualTo(manifest.mediaType());
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(manifest.digest());
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(manifest.size()));
    }

    private List<String> tags(String repository) {
        List<String> tags = new ArrayList<>();
        json(registry.get("/v2/" + repository + "/tags/list")).get("tags").forEach(tag -> tags.add(tag.asText()));
        return tags;
    }

    private static TestManifest dockerImage(TestRegistry registry, String repository) {
        TestBlob config = TestBlob.random(64);
        TestBlob layer = TestBlob.random(512);
        registry.pushBlob(repository, config);
        registry.pushBlob(repository, layer);
        return ManifestBuilder.dockerImage(config, layer).build();
    }

    private static TestManifest pushedByDigest(TestRegistry registry, String repository, TestManifest manifest) {
        return registry.pushManifest(repository, manifest.digest(), manifest);
    }
}
