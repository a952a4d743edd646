package dev.berth.http;

import static dev.berth.http.ErrorEnvelope.assertError;
import static dev.berth.http.TestRegistry.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The API version check, and how requests outside the API's routes and methods are answered. */
class RegistryHandlerTest {

    private static final String DIGEST = TestBlob.of("anything").digest();

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withDefaults();

    @Test
    void answersVersionCheckWith200AndApiVersionHeader() {
        HttpResponse<byte[]> response = registry.get("/v2/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Docker-Distribution-Api-Version")).isEqualTo("registry/2.0");
        assertThat(header(response, "Content-Type")).startsWith("application/json");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void answersVersionCheckWithoutTrailingSlash() {
        HttpResponse<byte[]> response = registry.get("/v2");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Docker-Distribution-Api-Version")).isEqualTo("registry/2.0");
    }

    @Test
    void answersHeadOfVersionCheckWithoutBody() {
        HttpResponse<byte[]> response = registry.head("/v2/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Docker-Distribution-Api-Version")).isEqualTo("registry/2.0");
        assertThat(response.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/", "/v3/", "/v2/library/ubuntu", "/v2/library/ubuntu/blobs",
            "/v2/library/ubuntu/unknown/thing", "/v2/library/ubuntu/tags", "/v2/library/ubuntu/manifests/",
            "/v2/_catalog/more", "/favicon.ico"})
    void answersPathOutsideTheApiWith404Envelope(String path) {
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> response = registry.get(path);

        assertError(response, 404, "UNSUPPORTED");
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @CsvSource({
            "POST, /v2/",
            "DELETE, /v2/",
            "PUT, /v2/_catalog",
            "POST, /v2/_catalog",
            "DELETE, /v2/repo/tags/list",
            "PUT, /v2/repo/tags/list",
            "POST, /v2/repo/manifests/latest",
            "PATCH, /v2/repo/manifests/latest",
            "POST, /v2/repo/blobs/" + "sha256:2a3c1d1d0b0e4e4fbb0d1b0c0cd60b3d5f2e8fdd5bd3b5b7a7a0e6c2f8e9d0a1",
            "PUT, /v2/repo/blobs/sha256:2a3c1d1d0b0e4e4fbb0d1b0c0cd60b3d5f2e8fdd5bd3b5b7a7a0e6c2f8e9d0a1",
            "PATCH, /v2/repo/blobs/sha256:2a3c1d1d0b0e4e4fbb0d1b0c0cd60b3d5f2e8fdd5bd3b5b7a7a0e6c2f8e9d0a1",
            "GET, /v2/repo/blobs/uploads/",
            "PUT, /v2/repo/blobs/uploads/",
            "DELETE, /v2/repo/blobs/uploads/",
            "PATCH, /v2/repo/blobs/uploads/",
            "DELETE, /v2/repo/referrers/sha256:2a3c1d1d0b0e4e4fbb0d1b0c0cd60b3d5f2e8fdd5bd3b5b7a7a0e6c2f8e9d0a1",
            "PUT, /v2/repo/referrers/sha256:2a3c1d1d0b0e4e4fbb0d1b0c0cd60b3d5f2e8fdd5bd3b5b7a7a0e6c2f8e9d0a1",
    })
    void refusesMethodTheEndpointLacksWith405Unsupported(String method, String path) {
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> response = registry.send(registry.request(path)
                .method(method, BodyPublishers.ofString("{}")));

        assertError(response, 405, "UNSUPPORTED");
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    @Test
    void refusesPostToAnUploadSessionWith405() {
        String location = registry.startUpload("repo");
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> response = registry.send(registry.request(location).POST(BodyPublishers.noBody()));

        assertError(response, 405, "UNSUPPORTED");
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    @Test
    void closesConnectionAfterRefusingRequestWhoseBodyItDidNotRead() {
        HttpResponse<byte[]> refused = registry.patch("/v2/repo/blobs/uploads/" + UUID.randomUUID(),
                new byte[10], "0-9");

        assertError(refused, 404, "BLOB_UPLOAD_UNKNOWN");
        assertThat(header(refused, "Connection")).isEqualTo("close");
        assertThat(registry.get("/v2/").statusCode()).isEqualTo(200);
    }

    /**
     * An error found before the body is read is answered while the client is still sending; the server must not
     * reset the connection under it (a reset lost about one such answer in ten before the body was drained).
     */
    @Test
    void deliversErrorFoundBeforeReadingTheBodyEveryTime() {
        byte[] body = new byte[8 * 1024 * 1024];

        for (int i = 0; i < 15; i++) {
            assertError(registry.patch("/v2/repo/blobs/uploads/" + UUID.randomUUID(), body, ""), 404,
                    "BLOB_UPLOAD_UNKNOWN");
            assertError(registry.put("/v2/repo/manifests/latest", TestManifest.OCI_MANIFEST, body), 413,
                    "SIZE_INVALID");
        }
    }

    @Test
    void keepsConnectionAfterRefusingRequestWithoutBody() {
        HttpResponse<byte[]> refused = registry.get("/v2/repo/blobs/uploads/" + UUID.randomUUID());

        assertError(refused, 404, "BLOB_UPLOAD_UNKNOWN");
        assertThat(refused.headers().firstValue("Connection")).isEmpty();
    }

    @Test
    void answersWithApiVersionHeaderOnErrorsToo() {
        HttpResponse<byte[]> response = registry.get("/v2/repo/blobs/" + DIGEST);

        assertError(response, 404, "BLOB_UNKNOWN");
        assertThat(header(response, "Docker-Distribution-Api-Version")).isEqualTo("registry/2.0");
    }
}
