package dev.berth.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server is killed with SIGKILL while uploads and manifest pushes are in flight, then restarted on the
 * same directory: nothing partial is visible, everything acknowledged before the kill is intact, and an
 * interrupted upload can be resumed.
 */
class CrashSafetyIT {

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final Pattern LINK = Pattern.compile(".*/(_layers|_manifests/revisions|_manifests/tags/[^/]+/index)"
            + "/(sha256|sha512)/([a-f0-9]+)/link");

    @TempDir
    Path work;

    private record Image(String tag, Digest manifest, List<Digest> blobs) {
    }

    @Test
    void survivesSigkillDuringUploadsAndManifestPushes() throws Exception {
        Path root = work.resolve("data");
        List<Image> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        GeneratedContent resumable = new GeneratedContent(7, 48L << 20);
        String resumeLocation;
        long firstChunk = 16L << 20;

        try (ServerProcess server = ServerProcess.start(work, root)) {
            RegistryClient client = new RegistryClient(server);
            acknowledged.add(pushImage(client, "before", 0));
            resumeLocation = client.startUpload("crash/resume");
            client.patch(resumeLocation, () -> resumable.stream(0, firstChunk), 0, firstChunk);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger counter = new AtomicInteger(1);
            CountDownLatch busy = new CountDownLatch(3);
            List<Thread> load = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                load.add(Thread.ofVirtual().start(() -> {
                    busy.countDown();
                    while (!stop.get()) {
                        int n = counter.getAndIncrement();
                        try {
                            acknowledged.add(pushImage(client, "t" + n, n));
                        } catch (Throwable killed) {
                            return;
                        }
                    }
                }));
            }
            // a large upload that the kill interrupts midway, and the resumable session's second chunk
            GeneratedContent big = new GeneratedContent(8, 2L << 30);
            load.add(Thread.ofVirtual().start(() -> {
                busy.countDown();
                try {
                    client.pushMonolithic("crash/big", big::stream, big.size(), Digest.sha256(new byte[] {1}));
                } catch (Throwable killed) {
                    // expected: the server dies under it
                }
            }));
            String location = resumeLocation;
            load.add(Thread.ofVirtual().start(() -> {
                try {
                    client.patch(location, () -> resumable.stream(firstChunk, resumable.size()), firstChunk,
                            resumable.size() - firstChunk);
                } catch (Throwable killed) {
                    // expected
                }
            }));
            busy.await();
            Thread.sleep(1500);
            server.kill();
            stop.set(true);
            for (Thread t : load) {
                t.join();
            }
        }

        assertNoPartialContentIsVisible(root);

        try (ServerProcess restarted = ServerProcess.start(work, root)) {
            RegistryClient client = new RegistryClient(restarted);
            assertThat(acknowledged).hasSizeGreaterThan(1);
            for (Image image : acknowledged) {
                HttpResponse<String> manifest = client.send(client.request("/v2/crash/app/manifests/" + image.tag())
                        .header("Accept", OCI_MANIFEST));
                assertThat(manifest.statusCode()).as(image.tag()).isEqualTo(200);
                assertThat(Digest.sha256(manifest.body().getBytes(StandardCharsets.UTF_8))).isEqualTo(image.manifest());
                for (Digest blob : image.blobs()) {
                    assertThat(client.pullDigest("crash/app", blob)).isEqualTo(blob);
                }
            }
            assertEveryTagResolves(client);

            // the interrupted session resumes from what the registry says it holds (the port is new)
            String resumePath = java.net.URI.create(resumeLocation).getPath();
            HttpResponse<String> status = client.send(client.request(resumePath));
            assertThat(status.statusCode()).isEqualTo(204);
            long held = Long.parseLong(status.headers().firstValue("Range").orElseThrow().split("-")[1]) + 1;
            assertThat(held).isBetween(firstChunk, resumable.size());
            String next = resumePath;
            if (held < resumable.size()) {
                next = client.patch(resumePath, () -> resumable.stream(held, resumable.size()), held,
                        resumable.size() - held);
            }
            client.finish(next, resumable.digest());
            assertThat(client.pullDigest("crash/resume", resumable.digest())).isEqualTo(resumable.digest());
        }
    }

    /** Pushes a small image (two blobs and a manifest) tagged {@code tag}; returns it once acknowledged. */
    private static Image pushImage(RegistryClient client, String tag, int seed) throws Exception {
        GeneratedContent layer = new GeneratedContent(1000 + seed, 300_000 + seed);
        Digest layerDigest = layer.digest();
        client.pushMonolithic("crash/app", layer::stream, layer.size(), layerDigest);
        byte[] config = ("{\"seed\":" + seed + "}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.sha256(config);
        client.pushMonolithic("crash/app", () -> new java.io.ByteArrayInputStream(config), config.length, configDigest);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":"
                + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.size() + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        client.pushManifest("crash/app", tag, OCI_MANIFEST, manifest);
        return new Image(tag, Digest.sha256(manifest), List.of(layerDigest, configDigest));
    }

    /** Every blob's content matches its digest, and every link names a blob that exists. */
    private static void assertNoPartialContentIsVisible(Path root) throws IOException {
        Path v2 = root.resolve("docker/registry/v2");
        try (Stream<Path> files = Files.walk(v2.resolve("blobs"))) {
            for (Path data : files.filter(p -> p.getFileName().toString().equals("data")).toList()) {
                Digest named = Digest.parse(data.getParent().getParent().getParent().getFileName() + ":"
                        + data.getParent().getFileName());
                try (InputStream in = Files.newInputStream(data)) {
                    assertThat(GeneratedContent.digestOf(in)).as(data.toString()).isEqualTo(named);
                }
            }
        }
        try (Stream<Path> files = Files.walk(v2.resolve("repositories"))) {
            for (Path link : files.filter(p -> p.getFileName().toString().equals("link")).toList()) {
                Digest target = Digest.parse(Files.readString(link).strip());
                Matcher m = LINK.matcher(link.toString());
                if (m.matches()) {
                    assertThat(target.toString()).isEqualTo(m.group(2) + ":" + m.group(3));
                }
                assertThat(v2.resolve("blobs/" + target.algorithm().id() + "/" + target.encoded().substring(0, 2)
                        + "/" + target.encoded() + "/data")).as(link.toString()).isRegularFile();
            }
        }
    }

    private static void assertEveryTagResolves(RegistryClient client) throws Exception {
        HttpResponse<String> tags = client.send(client.request("/v2/crash/app/tags/list"));
        assertThat(tags.statusCode()).isEqualTo(200);
        Matcher tag = Pattern.compile("\"(before|t\\d+)\"").matcher(tags.body());
        int count = 0;
        while (tag.find()) {
            count++;
            HttpResponse<String> manifest = client.send(client.request("/v2/crash/app/manifests/" + tag.group(1))
                    .method("HEAD", BodyPublishers.noBody()));
            assertThat(manifest.statusCode()).as(tag.group(1)).isEqualTo(200);
        }
        assertThat(count).isPositive();
    }
}
