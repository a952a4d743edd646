package dev.berth.http;

import static dev.berth.http.TestRegistry.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v2/<name>/blobs/uploads/?mount=<digest>[&from=<other>]}: cross-repository mounts. */
class BlobMountTest {

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withDefaults();

    private final TestBlob blob = TestBlob.random(300);

    @Test
    void mountsBlobFromAnotherRepositoryWith201() {
        registry.pushBlob("source", blob);

        HttpResponse<byte[]> response = registry.post(
                "/v2/target/blobs/uploads/?mount=" + blob.digest() + "&from=source");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(header(response, "Location")).isEqualTo(registry.baseUrl() + "/v2/target/blobs/" + blob.digest());
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(blob.digest());
        HttpResponse<byte[]> head = registry.head("/v2/target/blobs/" + blob.digest());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(header(head, "Content-Length")).isEqualTo("300");
        assertThat(registry.get(header(response, "Location")).body()).isEqualTo(blob.bytes());
    }

    @Test
    void fallsBackToUploadSessionWhenSourceLacksBlob() {
        registry.pushBlob("holder", blob);
        registry.pushBlob("source", TestBlob.random(10));

        HttpResponse<byte[]> response = registry.post(
                "/v2/target/blobs/uploads/?mount=" + blob.digest() + "&from=source");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(registry.head("/v2/target/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
        String location = header(response, "Location");
        assertThat(location).startsWith(registry.baseUrl() + "/v2/target/blobs/uploads/");
        assertThat(header(response, "Range")).isEqualTo("0-0");
        HttpResponse<byte[]> put = registry.put(location + "?digest=" + blob.digest(), "application/octet-stream",
                blob.bytes());
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(registry.get("/v2/target/blobs/" + blob.digest()).body()).isEqualTo(blob.bytes());
    }

    @Test
    void fallsBackToUploadSessionWhenSourceRepositoryDoesNotExist() {
        HttpResponse<byte[]> response = registry.post(
                "/v2/target/blobs/uploads/?mount=" + blob.digest() + "&from=nowhere");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(registry.get(header(response, "Location")).statusCode()).isEqualTo(204);
    }

    @Test
    void mountsAnyStoredBlobWithoutFrom() {
        registry.pushBlob("source", blob);

        HttpResponse<byte[]> response = registry.post("/v2/target/blobs/uploads/?mount=" + blob.digest());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(blob.digest());
        assertThat(registry.get("/v2/target/blobs/" + blob.digest()).body()).isEqualTo(blob.bytes());
    }

    @Test
    void fallsBackToUploadSessionWithoutFromWhenBlobIsNowhere() {
        HttpResponse<byte[]> response = registry.post("/v2/target/blobs/uploads/?mount=" + blob.digest());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(registry.head("/v2/target/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void doesNotMountBlobDeletedFromSource() {
        registry.pushBlob("source", blob);
        registry.delete("/v2/source/blobs/" + blob.digest());

        HttpResponse<byte[]> response = registry.post(
                "/v2/target/blobs/uploads/?mount=" + blob.digest() + "&from=source");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(registry.head("/v2/target/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
    }
}
