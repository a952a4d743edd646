package dev.berth.http;

import static dev.berth.http.ErrorEnvelope.assertError;
import static dev.berth.http.TestRegistry.header;
import static dev.berth.http.TestRegistry.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OCI 1.1 referrers: the {@code OCI-Subject} answer to a push, and {@code GET /v2/<name>/referrers/<digest>}. */
class ReferrersTest {

    private static final String SBOM = "application/vnd.example.sbom.v1";
    private static final String SIGNATURE = "application/vnd.example.signature.v1";

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withDefaults();

    @Test
    void answersPushOfManifestWithSubjectWithOciSubjectHeader() {
        TestManifest subject = registry.pushImage("repo", "latest");

        HttpResponse<byte[]> put = registry.putManifest("repo", "sbom", artifact(SBOM, subject).build());

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "OCI-Subject")).isEqualTo(subject.digest());
    }

    @Test
    void answersPushWithoutSubjectWithoutOciSubjectHeader() {
        HttpResponse<byte[]> put = registry.putManifest("repo", "latest", registry.image("repo").build());

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).isEmpty();
    }

    @Test
    void acceptsReferrerPushedBeforeItsSubject() {
        TestManifest subject = registry.image("repo").build();
        TestManifest sbom = pushByDigest(artifact(SBOM, subject).build());

        registry.pushManifest("repo", "latest", subject);

        assertThat(digests(registry.get("/v2/repo/referrers/" + subject.digest()))).containsExactly(sbom.digest());
    }

    @Test
    void listsReferrersAsImageIndexWithArtifactTypeAndAnnotations() {
        TestManifest subject = registry.pushImage("repo", "latest");
        TestManifest sbom = pushByDigest(artifact(SBOM, subject)
                .annotation("org.opencontainers.image.created", "2024-01-01T00:00:00Z").build());

        HttpResponse<byte[]> response = registry.get("/v2/repo/referrers/" + subject.digest());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).isEqualTo(TestManifest.OCI_INDEX);
        assertThat(response.headers().firstValue("OCI-Filters-Applied")).isEmpty();
        JsonNode index = json(response);
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.get("mediaType").asText()).isEqualTo(TestManifest.OCI_INDEX);
        assertThat(index.get("manifests")).hasSize(1);
        JsonNode descriptor = index.get("manifests").get(0);
        assertThat(descriptor.get("mediaType").asText()).isEqualTo(TestManifest.OCI_MANIFEST);
        assertThat(descriptor.get("digest").asText()).isEqualTo(sbom.digest());
        assertThat(descriptor.get("size").asLong()).isEqualTo(sbom.size());
        assertThat(descriptor.get("artifactType").asText()).isEqualTo(SBOM);
        assertThat(descriptor.get("annotations").get("org.opencontainers.image.created").asText())
                .isEqualTo("2024-01-01T00:00:00Z");
        assertThat(descriptor.get("annotations").get("test.unique").asText())
                .isEqualTo(sbom.json().get("annotations").get("test.unique").asText());
    }

    @Test
    void listsConfigMediaTypeAsArtifactTypeOfImageWithoutOne() {
        TestManifest subject = registry.pushImage("repo", "latest");
        TestManifest referrer = pushByDigest(registry.image("repo").subject(subject).build());

        JsonNode descriptor = json(registry.get("/v2/repo/referrers/" + subject.digest())).get("manifests").get(0);

        assertThat(descriptor.get("digest").asText()).isEqualTo(referrer.digest());
        assertThat(descriptor.get("artifactType").asText()).isEqualTo(ManifestBuilder.OCI_CONFIG);
    }

    /** The spec's fallback covers an artifactType that is "empty or missing". */
    @Test
    void listsConfigMediaTypeOrNothingForAnEmptyArtifactType() {
        TestManifest subject = registry.pushImage("repo", "latest");
        TestManifest image = pushByDigest(registry.image("repo").artifactType("").subject(subject).build());
        TestManifest child = pushByDigest(registry.image("repo").build());
        TestManifest index = pushByDigest(ManifestBuilder.ociIndex(child).artifactType("").subject(subject).build());

        JsonNode manifests = json(registry.get("/v2/repo/referrers/" + subject.digest())).get("manifests");

        assertThat(manifests).hasSize(2);
        for (JsonNode descriptor : manifests) {
            if (descriptor.get("digest").asText().equals(image.digest())) {
                assertThat(descriptor.get("artifactType").asText()).isEqualTo(ManifestBuilder.OCI_CONFIG);
            } else {
                assertThat(descriptor.get("digest").asText()).isEqualTo(index.digest());
                assertThat(descriptor.has("artifactType")).isFalse();
            }
        }
    }

    @Test
    void listsIndexReferrerWithoutArtifactTypeWhenItHasNone() {
        TestManifest subject = registry.pushImage("repo", "latest");
        TestManifest child = pushByDigest(registry.image("repo").build());
        TestManifest index = pushByDigest(ManifestBuilder.ociIndex(child).subject(subject).build());

        JsonNode descriptor = json(registry.get("/v2/repo/referrers/" + subject.digest())).get("manifests").get(0);

        assertThat(descriptor.get("digest").asText()).isEqualTo(index.digest());
        assertThat(descriptor.get("mediaType").asText()).isEqualTo(TestManifest.OCI_INDEX);
        assertThat(descriptor.has("artifactType")).isFalse();
    }

    @Test
    void listsEveryReferrerOfTheSubjectOnly() {
        TestManifest subject = registry.pushImage("repo", "latest");
        TestManifest unrelated = registry.pushImage("repo", "other");
        TestManifest sbom = pushByDigest(artifact(SBOM, subject).build());
        TestManifest signature = pushByDigest(artifact(SIGNATURE, subject).build());
        TestManifest unrelatedSbom = pushByDigest(artifact(SBOM, unrelated).build());

        HttpResponse<byte[]> response = registry.get("/v2/repo/referrers/" + subject.digest());

        assertThat(digests(response)).containsExactlyInAnyOrderElementsOf(
                Stream.of(sbom, signature).map(TestManifest::digest).toList());
        assertThat(digests(registry.get("/v2/repo/referrers/" + unrelated.digest())))
                .containsExactly(unrelatedSbom.digest());
    }

    @Test
    void filtersByArtifactTypeAndSaysSo() {
        TestManifest subject = registry.pushImage("repo", "latest");
        TestManifest sbom = pushByDigest(artifact(SBOM, subject).build());
        pushByDigest(artifact(SIGNATURE, subject).build());

        HttpResponse<byte[]> response = registry.get("/v2/repo/referrers/" + subject.digest() + "?artifactType="
                + URLEncoder.encode(SBOM, StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "OCI-Filters-Applied")).isEqualTo("artifactType");
        assertThat(digests(response)).containsExactly(sbom.digest());
    }

    @Test
    void answersFilterMatchingNothingWithEmptyIndex() {
        TestManifest subject = registry.pushImage("repo", "latest");
        pushByDigest(artifact(SBOM, subject).build());

        HttpResponse<byte[]> response = registry.get("/v2/repo/referrers/" + subject.digest()
                + "?artifactType=application/vnd.example.none");

        assertThat(header(response, "OCI-Filters-Applied")).isEqualTo("artifactType");
        assertThat(digests(response)).isEmpty();
    }

    @Test
    void answersEmptyIndexWhenThereAreNoReferrers() {
        TestManifest subject = registry.pushImage("repo", "latest");

        HttpResponse<byte[]> response = registry.get("/v2/repo/referrers/" + subject.digest());

        assertEmptyIndex(response);
    }

    @Test
    void answersEmptyIndexForUnknownRepository() {
        assertEmptyIndex(registry.get("/v2/nowhere/referrers/" + TestBlob.random(10).digest()));
    }

    @Test
    void doesNotListReferrersOfAnotherRepository() {
        TestManifest subject = registry.pushImage("repo", "latest");
        registry.pushManifest("other", "sbom", artifact("other", SBOM, subject).build());

        assertEmptyIndex(registry.get("/v2/repo/referrers/" + subject.digest()));
    }

    @Test
    void stopsListingDeletedReferrer() {
        TestManifest subject = registry.pushImage("repo", "latest");
        TestManifest sbom = pushByDigest(artifact(SBOM, subject).build());
        assertThat(digests(registry.get("/v2/repo/referrers/" + subject.digest()))).containsExactly(sbom.digest());

        assertThat(registry.delete("/v2/repo/manifests/" + sbom.digest()).statusCode()).isEqualTo(202);

        assertEmptyIndex(registry.get("/v2/repo/referrers/" + subject.digest()));
    }

    @Test
    void refusesMalformedSubjectDigestWith400() {
        assertError(registry.get("/v2/repo/referrers/sha256:nothex"), 400, "DIGEST_INVALID");
    }

    private ManifestBuilder artifact(String artifactType, TestManifest subject) {
        return artifact("repo", artifactType, subject);
    }

    /** An artifact referring to {@code subject}, its blobs pushed to {@code repository}. */
    private ManifestBuilder artifact(String repository, String artifactType, TestManifest subject) {
        TestBlob layer = TestBlob.random(32);
        registry.pushBlob(repository, TestBlob.EMPTY_JSON);
        registry.pushBlob(repository, layer);
        return ManifestBuilder.artifact(artifactType, layer).subject(subject);
    }

    private TestManifest pushByDigest(TestManifest manifest) {
        return registry.pushManifest("repo", manifest.digest(), manifest);
    }

    private static void assertEmptyIndex(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).isEqualTo(TestManifest.OCI_INDEX);
        JsonNode index = json(response);
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.get("mediaType").asText()).isEqualTo(TestManifest.OCI_INDEX);
        assertThat(index.get("manifests").isArray()).isTrue();
        assertThat(index.get("manifests")).isEmpty();
    }

    private static List<String> digests(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> digests = new ArrayList<>();
        json(response).get("manifests").forEach(d -> digests.add(d.get("digest").asText()));
        return digests.stream().sorted(Comparator.naturalOrder()).toList();
    }
}
