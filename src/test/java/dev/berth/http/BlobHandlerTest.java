package dev.berth.http;

import static dev.berth.http.ErrorEnvelope.assertError;
import static dev.berth.http.TestRegistry.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /v2/<name>/blobs/<digest>}: HEAD, GET with and without ranges, DELETE. */
class BlobHandlerTest {

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withDefaults();

    private final TestBlob blob = TestBlob.random(1000);

    @Test
    void answersHeadWithLengthAndDigestButNoBody() {
        registry.pushBlob("repo", blob);

        HttpResponse<byte[]> response = registry.head("/v2/repo/blobs/" + blob.digest());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Length")).isEqualTo("1000");
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(blob.digest());
        assertThat(response.body()).isEmpty();
    }

    @Test
    void servesExactBytesWithLengthAndDigest() {
        registry.pushBlob("repo", blob);

        HttpResponse<byte[]> response = registry.get("/v2/repo/blobs/" + blob.digest());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(blob.bytes());
        assertThat(header(response, "Content-Length")).isEqualTo("1000");
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(blob.digest());
    }

    @Test
    void servesEmptyBlob() {
        TestBlob empty = TestBlob.of("");
        registry.pushBlob("repo", empty);

        HttpResponse<byte[]> response = registry.get("/v2/repo/blobs/" + empty.digest());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "Content-Length")).isEqualTo("0");
    }

    @ParameterizedTest
    @CsvSource({
            "bytes=2-5, 2, 5",
            "bytes=0-0, 0, 0",
            "bytes=990-, 990, 999",
            "bytes=-10, 990, 999",
            "bytes=995-5000, 995, 999",
            "bytes=0-999, 0, 999",
            "BYTES=2-5, 2, 5",
            "'bytes= 2-5 ', 2, 5",
            "'bytes=2-5,5000-6000', 2, 5",
            "'bytes=,2-5, ', 2, 5",
    })
    void servesRangeWith206AndContentRange(String range, int first, int last) {
        registry.pushBlob("repo", blob);

        HttpResponse<byte[]> response = getBlob("Range", range);

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes " + first + "-" + last + "/1000");
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(last - first + 1));
        assertThat(response.body()).isEqualTo(blob.slice(first, last + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=1000-2000", "bytes=5000-6000", "bytes=-0", "bytes=1000-,-0"})
    void refusesUnsatisfiableRangeWith416AndSize(String range) {
        registry.pushBlob("repo", blob);

        HttpResponse<byte[]> response = getBlob("Range", range);

        assertError(response, 416, "RANGE_INVALID");
        assertThat(header(response, "Content-Range")).isEqualTo("bytes */1000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=abc", "bytes=5-2", "bytes=-", "bytes=99999999999999999999-", "bytes=0-1,abc",
        "bytes=", "bytes=,"})
    void refusesMalformedRangeWith416AndSize(String range) {
        registry.pushBlob("repo", blob);

        HttpResponse<byte[]> response = getBlob("Range", range);

        assertError(response, 416, "RANGE_INVALID");
        assertThat(header(response, "Content-Range")).isEqualTo("bytes */1000");
    }

    /**
     * RFC 9110: a server must ignore a unit it does not know, and may ignore ranges that overlap (here: that add up
     * to more than the blob, which would make the answer larger than it).
     */
    @ParameterizedTest
    @ValueSource(strings = {"items=0-1", "bytes 0-1", "bytes=0-999,0-999", "bytes=0-600,400-"})
    void servesWholeBlobForARangeItIgnores(String range) {
        registry.pushBlob("repo", blob);

        HttpResponse<byte[]> response = getBlob("Range", range);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Range")).isEmpty();
        assertThat(response.body()).isEqualTo(blob.bytes());
    }

    /** RFC 9110 section 14.6; podman and skopeo fetch the files a zstd:chunked layer lacks this way. */
    @Test
    void servesSeveralRangesAsAMultipartBodyInTheOrderAsked() {
        registry.pushBlob("repo", blob);

        HttpResponse<byte[]> response = getBlob("Range", "bytes=990-, 0-9,500-501, 5000-6000");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Range")).isEmpty();
        String contentType = header(response, "Content-Type");
        assertThat(contentType).matches("multipart/byteranges; boundary=[0-9a-f]{30}");
        String boundary = contentType.substring(contentType.indexOf('=') + 1);
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        int[][] parts = {{990, 999}, {0, 9}, {500, 501}};
        for (int i = 0; i < parts.length; i++) {
            expected.writeBytes(((i == 0 ? "" : "\r\n") + "--" + boundary + "\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Range: bytes " + parts[i][0] + "-" + parts[i][1] + "/1000\r\n\r\n").getBytes());
            expected.writeBytes(blob.slice(parts[i][0], parts[i][1] + 1));
        }
        expected.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes());
        assertThat(response.body()).isEqualTo(expected.toByteArray());
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(expected.size()));
    }

    /**
     * containers/image asks for up to about a thousand ranges at once, each smaller than a buffer; when they do not
     * fit in a request head it gets a 400 and asks again for half as many.
     */
    @Test
    void servesSmallRangesByTheHundredAndRefusesAHeadTooLongForThemWith400() {
        TestBlob large = TestBlob.random(32 << 20);
        registry.pushBlob("repo", large);

        HttpResponse<byte[]> tooMany = getRanges(large, 1024);
        HttpResponse<byte[]> half = getRanges(large, 512);

        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(half.statusCode()).isEqualTo(206);
        String text = new String(half.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text.split("Content-Range: bytes ", -1)).hasSize(513);
        String lastHead = "Content-Range: bytes 30460000-30460099/" + (32 << 20) + "\r\n\r\n";
        int lastPart = text.indexOf(lastHead) + lastHead.length();
        assertThat(java.util.Arrays.copyOfRange(half.body(), lastPart, lastPart + 100))
                .isEqualTo(large.slice(30460000, 30460100));
    }

    /** {@code count} ranges of 100 bytes, 20,000 apart from the 10,000,000th byte: 18 bytes each in the header. */
    private HttpResponse<byte[]> getRanges(TestBlob large, int count) {
        StringBuilder range = new StringBuilder("bytes=");
        for (int i = 0; i < count; i++) {
            long first = 10_000_000L + (1024L - count + i) * 20_000;
            range.append(i == 0 ? "" : ",").append(first).append('-').append(first + 99);
        }
        return registry.send(registry.request("/v2/repo/blobs/" + large.digest()).header("Range", range.toString())
                .GET());
    }

    @Test
    void honoursRangeOnlyWhenIfRangeNamesTheBlobsEntityTag() {
        registry.pushBlob("repo", blob);
        String etag = "\"" + blob.digest() + "\"";

        HttpResponse<byte[]> same = getBlob("Range", "bytes=2-5", "If-Range", etag);
        HttpResponse<byte[]> other = getBlob("Range", "bytes=2-5", "If-Range", "\"other\"");
        HttpResponse<byte[]> date = getBlob("Range", "bytes=2-5", "If-Range", "Sat, 28 Nov 2026 10:00:00 GMT");

        assertThat(header(same, "ETag")).isEqualTo(etag);
        assertThat(same.statusCode()).isEqualTo(206);
        assertThat(same.body()).isEqualTo(blob.slice(2, 6));
        for (HttpResponse<byte[]> whole : List.of(other, date)) {
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(blob.bytes());
        }
    }

    @Test
    void answersIfNoneMatchOfItsEntityTagWith304AndNoBody() {
        registry.pushBlob("repo", blob);
        String etag = "\"" + blob.digest() + "\"";

        for (String ifNoneMatch : new String[] {etag, "W/" + etag, "\"other\", " + etag, "*"}) {
            for (String method : new String[] {"GET", "HEAD"}) {
                HttpResponse<byte[]> response = registry.send(registry.request("/v2/repo/blobs/" + blob.digest())
                        .header("If-None-Match", ifNoneMatch).method(method, HttpRequest.BodyPublishers.noBody()));

                assertThat(response.statusCode()).as(method + " " + ifNoneMatch).isEqualTo(304);
                assertThat(response.body()).isEmpty();
                assertThat(header(response, "ETag")).isEqualTo(etag);
                // RFC 9110 §8.6: a 304's Content-Length, if any, is that of the 200; a 0 would misinform caches
                assertThat(response.headers().firstValue("Content-Length")).as(method)
                        .hasValue(String.valueOf(blob.bytes().length));
            }
        }
        HttpResponse<byte[]> changed = getBlob("If-None-Match", "\"other\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(blob.bytes());
    }

    @Test
    void answersIfMatchOfAnotherEntityTagWith412() {
        registry.pushBlob("repo", blob);
        String etag = "\"" + blob.digest() + "\"";

        HttpResponse<byte[]> other = getBlob("If-Match", "\"other\"");
        HttpResponse<byte[]> weak = getBlob("If-Match", "W/" + etag);
        HttpResponse<byte[]> same = getBlob("If-Match", etag);

        assertThat(other.statusCode()).isEqualTo(412);
        assertThat(weak.statusCode()).as("If-Match compares strongly").isEqualTo(412);
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(same.body()).isEqualTo(blob.bytes());
    }

    @Test
    void refusesAnotherMethodWith405ListingTheAllowedOnes() {
        registry.pushBlob("repo", blob);

        HttpResponse<byte[]> response = registry.send(registry.request("/v2/repo/blobs/" + blob.digest())
                .PUT(HttpRequest.BodyPublishers.noBody()));

        assertError(response, 405, "UNSUPPORTED");
        assertThat(header(response, "Allow")).isEqualTo("GET, HEAD, DELETE");
    }

    @Test
    void answersUnknownBlobWith404BlobUnknown() {
        assertError(registry.get("/v2/repo/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
        assertThat(registry.head("/v2/repo/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void doesNotServeBlobOfAnotherRepository() {
        registry.pushBlob("owner", blob);

        assertError(registry.get("/v2/other/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
        assertThat(registry.head("/v2/other/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void deletesBlobWith202ThenAnswers404() {
        registry.pushBlob("repo", blob);

        HttpResponse<byte[]> response = registry.delete("/v2/repo/blobs/" + blob.digest());

        assertThat(response.statusCode()).isEqualTo(202);
        assertError(registry.get("/v2/repo/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
        assertThat(registry.head("/v2/repo/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void deletingBlobInOneRepositoryKeepsItInAnother() {
        registry.pushBlob("first", blob);
        registry.pushBlob("second", blob);

        assertThat(registry.delete("/v2/first/blobs/" + blob.digest()).statusCode()).isEqualTo(202);

        HttpResponse<byte[]> response = registry.get("/v2/second/blobs/" + blob.digest());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(blob.bytes());
    }

    @Test
    void answersDeleteOfUnknownBlobWith404() {
        StoreSnapshot before = registry.snapshot();

        assertError(registry.delete("/v2/repo/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    @Test
    void servesSha512Blob() {
        String location = registry.startUpload("repo");
        HttpResponse<byte[]> put = registry.put(location + "?digest=" + blob.sha512(), "application/octet-stream",
                blob.bytes());
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "Docker-Content-Digest")).isEqualTo(blob.sha512());

        HttpResponse<byte[]> head = registry.head("/v2/repo/blobs/" + blob.sha512());
        HttpResponse<byte[]> get = registry.get("/v2/repo/blobs/" + blob.sha512());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(header(head, "Content-Length")).isEqualTo("1000");
        assertThat(header(head, "Docker-Content-Digest")).isEqualTo(blob.sha512());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(blob.bytes());
        assertThat(registry.head("/v2/repo/blobs/" + blob.digest()).statusCode())
                .as("the sha256 digest of content pushed as sha512").isEqualTo(404);
    }

    @Test
    void servesSha512BlobPushedInOnePost() {
        HttpResponse<byte[]> post = registry.post("/v2/repo/blobs/uploads/?digest=" + blob.sha512(), blob.bytes());

        assertThat(post.statusCode()).isEqualTo(201);
        assertThat(registry.get("/v2/repo/blobs/" + blob.sha512()).body()).isEqualTo(blob.bytes());
    }

    /** A GET of the test's blob in "repo", with header names and values in turn. */
    private HttpResponse<byte[]> getBlob(String... headers) {
        return registry.send(registry.request("/v2/repo/blobs/" + blob.digest()).headers(headers).GET());
    }
}
