package dev.berth.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.storage.s3.S3Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged registry on S3 storage (S3Proxy on loopback): uploads whose chunks straddle S3's smallest part in
 * both directions come back whole, sent from the bucket itself as distribution sends them, or by the registry when
 * redirects are disabled.
 */
class S3StorageIT {

    private static final long MIB = 1L << 20;
    /** 1 MiB, 7 MiB and 100 KiB chunks, then 2 MiB with the closing PUT: below, above and below a 5 MiB part. */
    private static final long[] CHUNKS = {MIB, 7 * MIB, 100 << 10};
    private static final long LAST = 2 * MIB;

    @TempDir
    Path work;

    private final HttpClient direct = HttpClient.newHttpClient();

    @Test
    void sendsClientsToTheBucketForBlobsPushedInChunks() throws Exception {
        try (ServerProcess server = start(false)) {
            RegistryClient client = new RegistryClient(server);
            GeneratedContent content = pushInChunks(client, "s3/redirected");
            URI blob = server.uri("/v2/s3/redirected/blobs/" + content.digest());

            HttpResponse<byte[]> get = direct.send(HttpRequest.newBuilder(blob).build(), BodyHandlers.ofByteArray());
            assertThat(get.statusCode()).isEqualTo(307);
            URI location = URI.create(get.headers().firstValue("Location").orElseThrow());
            assertThat(location.getPort()).isEqualTo(S3Proxy.get().endpoint().getPort());
            HttpResponse<java.io.InputStream> fromBucket = direct.send(HttpRequest.newBuilder(location).build(),
                    BodyHandlers.ofInputStream());
            assertThat(fromBucket.statusCode()).isEqualTo(200);
            assertThat(GeneratedContent.digestOf(fromBucket.body())).isEqualTo(content.digest());

            HttpResponse<Void> head = direct.send(HttpRequest.newBuilder(blob).method("HEAD",
                    HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(content.size());
        }
    }

    @Test
    void servesBlobsItselfWithRedirectsDisabled() throws Exception {
        try (ServerProcess server = start(true)) {
            RegistryClient client = new RegistryClient(server);
            GeneratedContent content = pushInChunks(client, "s3/served");
            assertThat(client.pullDigest("s3/served", content.digest())).isEqualTo(content.digest());

            long from = 7 * MIB - 3;
            HttpResponse<byte[]> range = client.sendForBytes(client.request("/v2/s3/served/blobs/" + content.digest())
                    .header("Range", "bytes=" + from + "-" + (from + 9)));
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(content.stream(from, from + 10).readAllBytes());
        }
    }

    private ServerProcess start(boolean redirectsDisabled) throws Exception {
        S3Proxy s3 = S3Proxy.get();
        String bucket = s3.bucket("berth-it-" + UUID.randomUUID().toString().substring(0, 8));
        return ServerProcess.start(work, """
                s3: {region: us-east-1, regionendpoint: '%s', bucket: %s, accesskey: %s, secretkey: %s, \
                rootdirectory: /registry}
                  redirect: {disable: %s}""".formatted(s3.endpoint(), bucket, S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY,
                redirectsDisabled), Map.of(), "-Xmx64m");
    }

    private static GeneratedContent pushInChunks(RegistryClient client, String repository) throws Exception {
        long size = LAST;
        for (long chunk : CHUNKS) {
            size += chunk;
        }
        GeneratedContent content = new GeneratedContent(size, size);
        String location = client.startUpload(repository);
        long at = 0;
        for (long chunk : CHUNKS) {
            long from = at;
            location = client.patch(location, () -> content.stream(from, from + chunk), from, chunk);
            at += chunk;
        }
        long from = at;
        Digest digest = content.digest();
        String separator = location.contains("?") ? "&" : "?";
        HttpResponse<String> put = client.send(client.request(location + separator + "digest=" + digest)
                .header("Content-Type", "application/octet-stream")
                .PUT(RegistryClient.body(() -> content.stream(from, from + LAST), LAST)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return content;
    }
}
