package dev.berth.http;

import static dev.berth.http.ErrorEnvelope.assertError;
import static dev.berth.http.TestRegistry.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /v2/<name>/blobs/uploads/[<id>]}: every way to push a blob, session status and cancellation. */
class UploadHandlerTest {

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withDefaults();

    private final TestBlob blob = TestBlob.random(250);

    @Test
    void storesBlobPushedInOnePostAndAnswers201WithLocation() {
        HttpResponse<byte[]> response = registry.post("/v2/repo/blobs/uploads/?digest=" + blob.digest(),
                blob.bytes());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(blob.digest());
        assertThat(header(response, "Location")).isEqualTo(registry.baseUrl() + "/v2/repo/blobs/" + blob.digest());
        assertThat(registry.get(header(response, "Location")).body()).isEqualTo(blob.bytes());
    }

    @Test
    void startsSessionWith202AbsoluteLocationEmptyRangeAndUuid() {
        HttpResponse<byte[]> response = registry.post("/v2/repo/blobs/uploads/");

        assertThat(response.statusCode()).isEqualTo(202);
        String location = header(response, "Location");
        String uuid = header(response, "Docker-Upload-UUID");
        assertThat(location).isEqualTo(registry.baseUrl() + "/v2/repo/blobs/uploads/" + uuid);
        assertThat(header(response, "Range")).isEqualTo("0-0");
        assertThat(header(response, "Content-Length")).isEqualTo("0");
    }

    @Test
    void storesBlobPutWholeIntoSession() {
        String location = registry.startUpload("repo");

        HttpResponse<byte[]> response = registry.put(location + "?digest=" + blob.digest(),
                "application/octet-stream", blob.bytes());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(blob.digest());
        assertThat(registry.get(header(response, "Location")).body()).isEqualTo(blob.bytes());
    }

    @Test
    void storesBlobStreamedInPatchWithoutContentRange() {
        String location = registry.startUpload("repo");

        HttpResponse<byte[]> patch = registry.patchStreamed(location, blob.bytes());

        assertThat(patch.statusCode()).isEqualTo(202);
        assertThat(header(patch, "Range")).isEqualTo("0-249");
        HttpResponse<byte[]> put = registry.put(header(patch, "Location") + "?digest=" + blob.digest(),
                "application/octet-stream", new byte[0]);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(registry.get("/v2/repo/blobs/" + blob.digest()).body()).isEqualTo(blob.bytes());
    }

    @Test
    void storesBlobSentInChunksWithContentRange() {
        String location = registry.startUpload("repo");

        HttpResponse<byte[]> first = registry.patch(location, blob.slice(0, 100), "0-99");
        HttpResponse<byte[]> second = registry.patch(header(first, "Location"), blob.slice(100, 200), "100-199");
        HttpResponse<byte[]> third = registry.patch(header(second, "Location"), blob.slice(200, 250), "200-249");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(header(first, "Range")).isEqualTo("0-99");
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(header(second, "Range")).isEqualTo("0-199");
        assertThat(third.statusCode()).isEqualTo(202);
        assertThat(header(third, "Range")).isEqualTo("0-249");
        assertThat(header(third, "Location")).isEqualTo(location);
        HttpResponse<byte[]> put = registry.put(location + "?digest=" + blob.digest(), "application/octet-stream",
                new byte[0]);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(registry.get("/v2/repo/blobs/" + blob.digest()).body()).isEqualTo(blob.bytes());
    }

    @Test
    void acceptsChunkRangeWithBytesPrefixAndTotal() {
        String location = registry.startUpload("repo");

        HttpResponse<byte[]> response = registry.patch(location, blob.slice(0, 100), "bytes 0-99/250");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(header(response, "Range")).isEqualTo("0-99");
    }

    @Test
    void rejectsChunkOutOfOrderWith416AndCurrentRange() {
        String location = registry.startUpload("repo");
        registry.patch(location, blob.slice(0, 100), "0-99");
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> skipping = registry.patch(location, blob.slice(150, 200), "150-199");
        HttpResponse<byte[]> overlapping = registry.patch(location, blob.slice(50, 150), "50-149");

        assertError(skipping, 416, "RANGE_INVALID");
        assertThat(header(skipping, "Range")).isEqualTo("0-99");
        assertThat(header(skipping, "Location")).isEqualTo(location);
        assertThat(header(skipping, "Docker-Upload-UUID")).isEqualTo(location.substring(location.lastIndexOf('/') + 1));
        assertError(overlapping, 416, "RANGE_INVALID");
        assertThat(header(overlapping, "Range")).isEqualTo("0-99");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertThat(header(registry.get(location), "Range")).isEqualTo("0-99");

        HttpResponse<byte[]> next = registry.patch(location, blob.slice(100, 250), "100-249");
        assertThat(next.statusCode()).isEqualTo(202);
        assertThat(header(next, "Range")).isEqualTo("0-249");
        assertThat(registry.put(location + "?digest=" + blob.digest(), "application/octet-stream", new byte[0])
                .statusCode()).isEqualTo(201);
        assertThat(registry.get("/v2/repo/blobs/" + blob.digest()).body()).isEqualTo(blob.bytes());
    }

    @Test
    void rejectsFirstChunkNotStartingAtZeroWith416() {
        String location = registry.startUpload("repo");
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> response = registry.patch(location, blob.slice(10, 20), "10-19");

        assertError(response, 416, "RANGE_INVALID");
        assertThat(header(response, "Range")).isEqualTo("0-0");
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    @Test
    void acceptsFinalChunkInClosingPut() {
        String location = registry.startUpload("repo");
        registry.patch(location, blob.slice(0, 100), "0-99");

        HttpResponse<byte[]> put = registry.send(registry.request(location + "?digest=" + blob.digest())
                .header("Content-Type", "application/octet-stream").header("Content-Range", "100-249")
                .PUT(BodyPublishers.ofByteArray(blob.slice(100, 250))));

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "Docker-Content-Digest")).isEqualTo(blob.digest());
        assertThat(registry.get("/v2/repo/blobs/" + blob.digest()).body()).isEqualTo(blob.bytes());
    }

    @Test
    void acceptsFinalChunkStreamedInClosingPut() {
        String location = registry.startUpload("repo");
        registry.patch(location, blob.slice(0, 100), "0-99");

        HttpResponse<byte[]> put = registry.send(registry.request(location + "?digest=" + blob.digest())
                .header("Content-Type", "application/octet-stream")
                .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(blob.slice(100, 250)))));

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(registry.get("/v2/repo/blobs/" + blob.digest()).body()).isEqualTo(blob.bytes());
    }

    @Test
    void rejectsFinalChunkOutOfOrderWith416AndKeepsSession() {
        String location = registry.startUpload("repo");
        registry.patch(location, blob.slice(0, 100), "0-99");
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> put = registry.send(registry.request(location + "?digest=" + blob.digest())
                .header("Content-Type", "application/octet-stream").header("Content-Range", "120-249")
                .PUT(BodyPublishers.ofByteArray(blob.slice(120, 250))));

        assertError(put, 416, "RANGE_INVALID");
        assertThat(header(put, "Range")).isEqualTo("0-99");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertThat(registry.head("/v2/repo/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void acceptsEmptyChunkWithoutChangingTheRange() {
        String location = registry.startUpload("repo");
        registry.patch(location, blob.slice(0, 100), "0-99");

        HttpResponse<byte[]> response = registry.patch(location, new byte[0], "");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(header(response, "Range")).isEqualTo("0-99");
    }

    @Test
    void acceptsUploadOfBlobTheRepositoryAlreadyHas() {
        registry.pushBlob("repo", blob);
        String location = registry.startUpload("repo");

        HttpResponse<byte[]> put = registry.put(location + "?digest=" + blob.digest(), "application/octet-stream",
                blob.bytes());

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(registry.get("/v2/repo/blobs/" + blob.digest()).body()).isEqualTo(blob.bytes());
        assertError(registry.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void reportsStatusWith204RangeLocationAndUuid() {
        HttpResponse<byte[]> start = registry.post("/v2/repo/blobs/uploads/");
        String location = header(start, "Location");
        registry.patch(location, blob.slice(0, 10), "0-9");

        HttpResponse<byte[]> status = registry.get(location);

        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(header(status, "Range")).isEqualTo("0-9");
        assertThat(header(status, "Location")).isEqualTo(location);
        assertThat(header(status, "Docker-Upload-UUID")).isEqualTo(header(start, "Docker-Upload-UUID"));
        assertThat(location).endsWith("/" + header(status, "Docker-Upload-UUID"));
        HttpResponse<byte[]> head = registry.head(location);
        assertThat(head.statusCode()).as("HEAD, as distribution answers it").isEqualTo(204);
        assertThat(header(head, "Range")).isEqualTo("0-9");
    }

    @Test
    void cancelsSessionWith204ThenAnswers404() {
        String location = registry.startUpload("repo");
        registry.patch(location, blob.slice(0, 10), "0-9");

        HttpResponse<byte[]> cancel = registry.delete(location);

        assertThat(cancel.statusCode()).isEqualTo(204);
        assertError(registry.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(registry.patch(location, blob.slice(10, 20), "10-19"), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(registry.put(location + "?digest=" + blob.digest(), "application/octet-stream", new byte[0]),
                404, "BLOB_UPLOAD_UNKNOWN");
        assertError(registry.delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void rejectsDigestMismatchStoresNothingAndEndsSession() {
        String location = registry.startUpload("repo");
        registry.patch(location, blob.bytes(), "0-249");
        String claimed = TestBlob.random(250).digest();

        HttpResponse<byte[]> put = registry.put(location + "?digest=" + claimed, "application/octet-stream",
                new byte[0]);

        assertError(put, 400, "DIGEST_INVALID");
        assertThat(registry.head("/v2/repo/blobs/" + claimed).statusCode()).isEqualTo(404);
        assertThat(registry.head("/v2/repo/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
        assertError(registry.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void rejectsDigestMismatchInOnePostAndStoresNothing() {
        StoreSnapshot before = registry.snapshot();
        String claimed = TestBlob.random(250).digest();

        HttpResponse<byte[]> post = registry.post("/v2/repo/blobs/uploads/?digest=" + claimed, blob.bytes());

        assertError(post, 400, "DIGEST_INVALID");
        assertThat(registry.head("/v2/repo/blobs/" + claimed).statusCode()).isEqualTo(404);
        assertThat(registry.head("/v2/repo/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    @Test
    void rejectsClosingPutWithoutDigest() {
        String location = registry.startUpload("repo");
        registry.patch(location, blob.bytes(), "0-249");

        HttpResponse<byte[]> put = registry.put(location, "application/octet-stream", new byte[0]);

        assertError(put, 400, "DIGEST_INVALID");
        assertThat(registry.head("/v2/repo/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void answersUnknownSessionWith404() {
        String location = "/v2/repo/blobs/uploads/" + UUID.randomUUID();

        assertError(registry.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(registry.patch(location, blob.bytes(), ""), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(registry.put(location + "?digest=" + blob.digest(), "application/octet-stream", blob.bytes()),
                404, "BLOB_UPLOAD_UNKNOWN");
        assertError(registry.delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void doesNotShareSessionsBetweenRepositories() {
        String location = registry.startUpload("first");
        String elsewhere = location.replace("/v2/first/", "/v2/second/");

        assertError(registry.get(elsewhere), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(registry.patch(elsewhere, blob.bytes(), ""), 404, "BLOB_UPLOAD_UNKNOWN");
        assertThat(header(registry.get(location), "Range")).isEqualTo("0-0");
    }
}
