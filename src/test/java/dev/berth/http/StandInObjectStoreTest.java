package dev.berth.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The start-up cache's stand-in S3 answers the reads of its objects as S3 does, and nothing else. */
class StandInObjectStoreTest {

    private static final byte[] DATA = "the blob's bytes".getBytes(US_ASCII);

    private final StandInObjectStore store;
    private final HttpClient http = HttpClient.newHttpClient();

    StandInObjectStoreTest() throws Exception {
        store = new StandInObjectStore("bucket", Map.of("docker/registry/v2/blobs/data", DATA));
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
    }

    @Test
    void servesAnObjectByItsPathStyleUrl() throws Exception {
        HttpResponse<byte[]> got = send("GET", "/bucket/docker/registry/v2/blobs/data");

        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(DATA);
        assertThat(got.headers().firstValue("ETag")).isPresent();
        assertThat(got.headers().firstValue("Last-Modified")).isPresent();
    }

    @Test
    void headGivesTheSizeWithoutTheBody() throws Exception {
        HttpResponse<byte[]> got = send("HEAD", "/bucket/docker/registry/v2/blobs/data");

        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValueAsLong("Content-Length")).hasValue(DATA.length);
        assertThat(got.body()).isEmpty();
    }

    @Test
    void answersNoSuchKeyForWhatItDoesNotHold() throws Exception {
        for (String path : new String[] {"/bucket/docker/registry/v2/blobs/other", "/other/docker/registry/v2/blobs/data",
                "/bucket/docker/registry/v2/blobs"}) {
            HttpResponse<byte[]> got = send("GET", path);

            assertThat(got.statusCode()).as(path).isEqualTo(404);
            assertThat(new String(got.body(), US_ASCII)).as(path).contains("<Code>NoSuchKey</Code>");
        }
    }

    @Test
    void writesNothing() throws Exception {
        HttpResponse<byte[]> put = send("PUT", "/bucket/docker/registry/v2/blobs/data");
        HttpResponse<byte[]> after = send("GET", "/bucket/docker/registry/v2/blobs/data");

        assertThat(put.statusCode()).isEqualTo(404);
        assertThat(after.body()).isEqualTo(DATA);
    }

    private HttpResponse<byte[]> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(store.endpoint() + path))
                .method(method, method.equals("PUT") ? HttpRequest.BodyPublishers.ofString("replaced")
                        : HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
