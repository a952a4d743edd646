package dev.berth.http;

import static dev.berth.http.ErrorEnvelope.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Manifests a push must refuse, each with the spec's error code; a refused push leaves the store as it was, and
 * the manifest is not served afterwards.
 */
class ManifestValidationTest {

    private static final int MAX_BYTES = 4 * 1024 * 1024;

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withDefaults();

    @Test
    void refusesManifestWhoseConfigIsMissing() {
        TestBlob layer = TestBlob.random(100);
        registry.pushBlob("repo", layer);

        assertRefused(ManifestBuilder.ociImage(TestBlob.random(10), layer).build(), 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void refusesManifestWhoseLayerIsMissing() {
        TestBlob config = TestBlob.random(10);
        TestBlob layer = TestBlob.random(100);
        registry.pushBlob("repo", config);
        registry.pushBlob("repo", layer);

        assertRefused(ManifestBuilder.ociImage(config, layer, TestBlob.random(100)).build(), 400,
                "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void refusesManifestWhoseBlobsAreOnlyInAnotherRepository() {
        TestBlob config = TestBlob.random(10);
        TestBlob layer = TestBlob.random(100);
        registry.pushBlob("other", config);
        registry.pushBlob("other", layer);

        assertRefused(ManifestBuilder.dockerImage(config, layer).build(), 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void refusesIndexWhoseChildIsMissing() {
        TestManifest present = registry.pushManifest("repo", "present", registry.image("repo").build());
        TestManifest absent = registry.image("repo").build();

        assertRefused(ManifestBuilder.ociIndex(present, absent).build(), 400, "MANIFEST_BLOB_UNKNOWN");
        assertRefused(ManifestBuilder.dockerList(absent).build(), 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void refusesIndexWhoseChildIsABlobNotAManifest() {
        TestManifest child = registry.image("repo").build();
        registry.pushBlob("repo", new TestBlob(child.bytes()));

        assertRefused(ManifestBuilder.ociIndex(child).build(), 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void refusesDockerSchema1Manifest() {
        String body = """
                {"schemaVersion": 1, "name": "repo", "tag": "latest", "architecture": "amd64",
                 "fsLayers": [], "history": [], "signatures": []}""";

        assertRefused(new TestManifest("application/vnd.docker.distribution.manifest.v1+prettyjws",
                body.getBytes(StandardCharsets.UTF_8)), 400, "MANIFEST_INVALID");
        assertRefused(new TestManifest("application/vnd.docker.distribution.manifest.v1+json",
                body.getBytes(StandardCharsets.UTF_8)), 400, "MANIFEST_INVALID");
        assertRefused(new TestManifest("application/json", body.getBytes(StandardCharsets.UTF_8)), 400,
                "MANIFEST_INVALID");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{not json",
            "",
            "[]",
            "\"a string\"",
            "{}",
            "{\"schemaVersion\": 3, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\"}",
            "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", \"layers\": []}",
            "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\","
                    + " \"config\": {\"mediaType\": \"x\", \"digest\": \"sha256:abc\", \"size\": 1}, \"layers\": []}",
            "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\","
                    + " \"config\": {\"mediaType\": \"x\", \"size\": 1}}",
            "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.index.v1+json\","
                    + " \"manifests\": {}}",
            "{\"schemaVersion\": 2, \"mediaType\": \"text/plain\"}",
    })
    void refusesBodyThatIsNotAValidManifest(String body) {
        assertRefused(new TestManifest(TestManifest.OCI_MANIFEST, body.getBytes(StandardCharsets.UTF_8)), 400,
                "MANIFEST_INVALID");
    }

    /** Served as pushed, they would fail every Go client (docker, containerd, skopeo) that decodes them. */
    @Test
    void refusesBytesThatAreNotOneUtf8JsonValue() {
        TestManifest valid = registry.image("repo").build();
        String text = new String(valid.bytes(), StandardCharsets.UTF_8);

        assertRefused(new TestManifest(TestManifest.OCI_MANIFEST, (text + " garbage").getBytes(StandardCharsets.UTF_8)),
                400, "MANIFEST_INVALID");
        assertRefused(new TestManifest(TestManifest.OCI_MANIFEST, ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8)),
                400, "MANIFEST_INVALID");
        assertRefused(new TestManifest(TestManifest.OCI_MANIFEST, text.getBytes(StandardCharsets.UTF_16LE)), 400,
                "MANIFEST_INVALID");
    }

    @Test
    void refusesContentTypeThatContradictsTheMediaType() {
        TestManifest oci = registry.image("repo").build();

        assertRefused(new TestManifest(TestManifest.DOCKER_MANIFEST, oci.bytes()), 400, "MANIFEST_INVALID");
        assertRefused(new TestManifest(TestManifest.OCI_INDEX, oci.bytes()), 400, "MANIFEST_INVALID");
    }

    @Test
    void refusesLayerWithUrlsByDefault() {
        ManifestBuilder builder = registry.image("repo");

        assertRefused(builder.foreignLayer(TestBlob.random(100), "https://foreign.example.com/layer.tar.gz").build(),
                400, "MANIFEST_INVALID");
    }

    @Test
    void acceptsManifestOfExactlyTheSizeLimit() {
        TestManifest manifest = padded(registry.image("repo"), MAX_BYTES);

        assertThat(registry.putManifest("repo", "latest", manifest).statusCode()).isEqualTo(201);
        assertThat(registry.get("/v2/repo/manifests/latest").body()).isEqualTo(manifest.bytes());
    }

    @Test
    void refusesManifestOverTheSizeLimitWith413() {
        TestManifest manifest = padded(registry.image("repo"), MAX_BYTES + 1);

        assertRefused(manifest, 413, "SIZE_INVALID");
    }

    @Test
    void refusesStreamedManifestOverTheSizeLimitWith413() {
        TestManifest manifest = padded(registry.image("repo"), MAX_BYTES + 1);
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> response = registry.send(registry.request("/v2/repo/manifests/latest")
                .header("Content-Type", manifest.mediaType())
                .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(manifest.bytes()))));

        assertError(response, 413, "SIZE_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    @Test
    void refusesPushByDigestThatDoesNotMatchTheBody() {
        TestManifest manifest = registry.image("repo").build();
        TestManifest other = registry.image("repo").build();
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> response = registry.putManifest("repo", other.digest(), manifest);

        assertError(response, 400, "DIGEST_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertError(registry.get("/v2/repo/manifests/" + manifest.digest()), 404, "MANIFEST_UNKNOWN");
        assertError(registry.get("/v2/repo/manifests/" + other.digest()), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void refusesInvalidTagParameterAndStoresNothing() {
        TestManifest manifest = registry.image("repo").build();
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> response = registry.put(
                "/v2/repo/manifests/" + manifest.digest() + "?tag=good&tag=-bad", manifest.mediaType(),
                manifest.bytes());

        assertError(response, 400, "TAG_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    /** Pushes under a tag, expects the error, and checks that nothing was stored or tagged. */
    private void assertRefused(TestManifest manifest, int status, String code) {
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> response = registry.putManifest("repo", "refused", manifest);

        assertError(response, status, code);
        assertThat(registry.snapshot()).isEqualTo(before);
        assertError(registry.get("/v2/repo/manifests/refused"), 404, "MANIFEST_UNKNOWN");
        assertError(registry.get("/v2/repo/manifests/" + manifest.digest()), 404, "MANIFEST_UNKNOWN");
    }

    /** The builder's manifest with an annotation that brings its body to exactly {@code size} bytes. */
    private static TestManifest padded(ManifestBuilder builder, int size) {
        int unpadded = builder.annotation("test.padding", "").build().size();
        TestManifest manifest = builder.annotation("test.padding", "x".repeat(size - unpadded)).build();
        assertThat(manifest.size()).isEqualTo(size);
        return manifest;
    }
}
