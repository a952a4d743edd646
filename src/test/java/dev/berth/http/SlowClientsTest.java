package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.auth.OpenAccess;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.registry.TestImages;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Clients that send their bodies slowly hold a connection each, never the server. */
class SlowClientsTest {

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withDefaults();

    @TempDir
    Path root;

    /** Opens a request announcing a large body and sends only its start, as a client that stalls does. */
    private static Socket stalledAfter(int port, String head, int bodyBytes) throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(new byte[bodyBytes]);
        out.flush();
        return socket;
    }

    @Test
    void manyUploadsWaitingForTheirBodiesLeaveTheServerAnswering() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            // more than Jetty's default of 200 tasks at once, each blocked reading its body
            for (int i = 0; i < 250; i++) {
                String location = URI.create(registry.startUpload("slow/x" + i)).getRawPath();
                slow.add(stalledAfter(registry.port(), "PATCH " + location + " HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Length: 100000000\r\n\r\n", 1000));
            }

            HttpResponse<byte[]> answered = registry.get("/v2/");

            assertThat(answered.statusCode()).isEqualTo(200);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aManifestTrickledInHoldsTheBudgetOnlyForItsBodyTime() throws Exception {
        Registry domain = Registry.over(new FilesystemDriver(root), true, ManifestRules.NO_URLS, Clock.systemUTC());
        TestImages images = new TestImages(domain);
        images.image("team/app", "v1", "config", images.layer("team/app", "layer"));
        // less than one announced 4 MB manifest takes to parse: while it is read, every other push waits
        MemoryBudget budget = new MemoryBudget(20L << 20);
        try (RegistryServer server = new RegistryServer(new InetSocketAddress("127.0.0.1", 0),
                new RegistryHandler(domain, new OpenAccess(), budget, Duration.ofSeconds(2)))) {
            server.start();
            String base = "http://127.0.0.1:" + server.port() + "/v2/team/app/manifests/";
            HttpClient http = HttpClient.newHttpClient();
            byte[] manifest = http.send(HttpRequest.newBuilder(URI.create(base + "v1")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            try (Socket trickling = stalledAfter(server.port(), "PUT /v2/team/app/manifests/slow HTTP/1.1\r\n"
                    + "Host: x\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\n"
                    + "Content-Length: 4000000\r\n\r\n", 1000)) {
                // a byte every half second: never idle long enough for the connection's timeout
                Thread trickle = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 60; i++) {
                            Thread.sleep(500);
                            trickling.getOutputStream().write('x');
                        }
                    } catch (Exception e) {
                        // the server gave up on it: what the test waits for
                    }
                });

                HttpResponse<String> pushed = http.send(HttpRequest.newBuilder(URI.create(base + "v2"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(201);
                String refused = new String(trickling.getInputStream().readNBytes(512), StandardCharsets.ISO_8859_1);
                assertThat(refused).startsWith("HTTP/1.1 400").contains("did not arrive within 2 s");
                trickle.interrupt();
            }
        }
    }
}
