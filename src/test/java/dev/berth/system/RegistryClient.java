package dev.berth.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.function.Supplier;

/** The few registry calls the system tests make, each asserting the status the spec promises. */
final class RegistryClient {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ServerProcess server;

    RegistryClient(ServerProcess server) {
        this.server = server;
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), BodyHandlers.ofString());
    }

    HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), BodyHandlers.ofByteArray());
    }

    HttpRequest.Builder request(String pathOrUrl) {
        return HttpRequest.newBuilder(pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : server.uri(pathOrUrl));
    }

    static HttpRequest.BodyPublisher body(Supplier<InputStream> content, long length) {
        return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(content), length);
    }

    /** Starts an upload session and returns its Location. */
    String startUpload(String repository) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/v2/" + repository + "/blobs/uploads/")
                .POST(BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(202);
        return response.headers().firstValue("Location").orElseThrow();
    }

    /** Sends a chunk with Content-Range and returns the session's next Location. */
    String patch(String location, Supplier<InputStream> chunk, long start, long length)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(request(location)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", start + "-" + (start + length - 1))
                .method("PATCH", body(chunk, length)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return response.headers().firstValue("Location").orElseThrow();
    }

    void finish(String location, Digest digest) throws IOException, InterruptedException {
        String separator = location.contains("?") ? "&" : "?";
        HttpResponse<String> response = send(request(location + separator + "digest=" + digest)
                .PUT(BodyPublishers.noBody()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    void pushMonolithic(String repository, Supplier<InputStream> content, long length, Digest digest)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/v2/" + repository + "/blobs/uploads/?digest=" + digest)
                .header("Content-Type", "application/octet-stream")
                .POST(body(content, length)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    void pushManifest(String repository, String reference, String mediaType, byte[] manifest)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/v2/" + repository + "/manifests/" + reference)
                .header("Content-Type", mediaType)
                .PUT(BodyPublishers.ofByteArray(manifest)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /** Streams a blob and returns the digest of what arrived. */
    Digest pullDigest(String repository, Digest digest) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(request("/v2/" + repository + "/blobs/" + digest).build(),
                BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        return GeneratedContent.digestOf(response.body());
    }
}
