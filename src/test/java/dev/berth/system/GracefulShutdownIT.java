package dev.berth.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM during a push: the server stops accepting connections, lets the push in progress finish within
 * {@code http.draintimeout} (however long its client pauses, within the idle timeout) or cuts it after, closes idle
 * connections at once, and exits 0; a cut push leaves nothing visible.
 */
class GracefulShutdownIT {

    private static final int HALF = 4 << 20;
    private static final Duration IDLE_TIMEOUT_WHILE_STOPPING = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final byte[] blob = content();
    private final Digest digest = Digest.sha256(blob);

    private static byte[] content() {
        byte[] bytes = new byte[2 * HALF];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 12));
        }
        return bytes;
    }

    /** A single-POST push whose body the test sends itself, half now and the rest when it chooses. */
    private record Push(CompletableFuture<HttpResponse<String>> response, PipedOutputStream body) {
    }

    private Push startPush(HttpClient http, ServerProcess server) throws Exception {
        PipedInputStream in = new PipedInputStream(1 << 20);
        PipedOutputStream out = new PipedOutputStream(in);
        CompletableFuture<HttpResponse<String>> response = http.sendAsync(HttpRequest.newBuilder(
                server.uri("/v2/drain/app/blobs/uploads/?digest=" + digest))
                .POST(RegistryClient.body(() -> in, blob.length)).build(), HttpResponse.BodyHandlers.ofString());
        out.write(blob, 0, HALF);
        out.flush();
        awaitReceiving();
        return new Push(response, out);
    }

    /**
     * Waits until the server stores the push's body. The first half can sit in the sockets' buffers before the
     * server has read the request's head, and a stop then finds no request in progress.
     */
    private void awaitReceiving() throws IOException, InterruptedException {
        Path uploads = dir.resolve("data/docker/registry/v2/repositories/drain/app/_uploads");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!hasData(uploads)) {
            assertThat(System.nanoTime()).as("waiting for the upload's data in %s", uploads).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static boolean hasData(Path uploads) throws IOException {
        if (!Files.isDirectory(uploads)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(uploads)) {
            return files.anyMatch(file -> file.getFileName().toString().equals("data") && file.toFile().length() > 0);
        }
    }

    private ServerProcess serve(Duration drain) throws Exception {
        return ServerProcess.start(dir, dir.resolve("data"), Map.of("REGISTRY_LOG_LEVEL", "info",
                "REGISTRY_HTTP_DRAINTIMEOUT", drain.toMillis() + "ms"));
    }

    private static void awaitLog(ServerProcess server, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!server.log().contains(text)) {
            assertThat(System.nanoTime()).as("waiting for '%s' in %s", text, server.log()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private int headStatus(HttpClient http, ServerProcess server) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri("/v2/drain/app/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void aPushInProgressCompletesWithinTheDrainTimeout() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            ServerProcess server = serve(Duration.ofSeconds(30));
            Push push = startPush(http, server);
            server.terminate();
            awaitLog(server, "stopping: no new connections; 1 upload(s) in progress");
            awaitRefused(server);
            // a client pausing mid-body, longer than the second Jetty alone would give any connection once the
            // stop began
            Thread.sleep(IDLE_TIMEOUT_WHILE_STOPPING.multipliedBy(2));
            push.body().write(blob, HALF, HALF);
            push.body().close();
            HttpResponse<String> response = push.response().get();
            assertThat(response.statusCode()).as("%s, server log:%n%s", response.body(), server.log()).isEqualTo(201);
            // the client keeps the connection open; the stop must not wait the 30 s drain timeout for it
            assertThat(server.awaitExit(Duration.ofSeconds(15))).as("exited, server log:%n%s", server.log())
                    .isTrue();
            assertThat(server.exitStatus()).isZero();

            try (ServerProcess again = serve(Duration.ofSeconds(1))) {
                assertThat(headStatus(http, again)).isEqualTo(200);
            }
        }
    }

    @Test
    void aPushCutAtTheDrainTimeoutLeavesNothingVisible() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            ServerProcess server = serve(Duration.ofMillis(500));
            Push push = startPush(http, server);
            server.terminate();
            assertThat(server.exitStatus()).isZero();
            // the client may be blocked supplying the body rather than reading the closed connection: end the body
            push.body().close();
            try {
                assertThat(push.response().get(30, TimeUnit.SECONDS).statusCode()).isNotEqualTo(201);
            } catch (ExecutionException cut) {
                assertThat(cut.getCause()).isInstanceOf(IOException.class);
            }

            try (ServerProcess again = serve(Duration.ofSeconds(1))) {
                assertThat(headStatus(http, again)).isEqualTo(404);
            }
            // the discarded upload's folders are pruned, possibly up to the storage root itself
            try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
                assertThat(files.map(Path::toString)).noneMatch(p -> p.contains(digest.encoded()));
            }
        }
    }

    /** New connections are refused (or answered 503) once the stop has begun. */
    private static void awaitRefused(ServerProcess server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (HttpClient fresh = HttpClient.newHttpClient()) {
                int status = fresh.send(HttpRequest.newBuilder(server.uri("/v2/")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 503) {
                    return;
                }
            } catch (IOException refused) {
                return;
            }
            assertThat(System.nanoTime()).as("new connections still accepted").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

}
