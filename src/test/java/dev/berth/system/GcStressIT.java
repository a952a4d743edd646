package dev.berth.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online garbage collection under load, bounded to about a minute: clients push images that share layers,
 * indexes and referrers, overwrite tags and delete manifests, while the server collects every second and
 * {@code berth garbage-collect} runs in a loop beside it, both with a grace period of {@link #GRACE}. Every push
 * that completes within the grace period must succeed and pull back at once; afterwards every surviving tag pulls
 * completely, no unreferenced blob outlives the grace period, and deleting everything returns the disk to where
 * it started.
 */
class GcStressIT {

    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final Duration LOAD = Duration.ofSeconds(25);
    private static final int CLIENTS = 4;
    private static final List<String> REPOSITORIES = List.of("stress/a", "stress/b");
    private static final String IMAGE = "application/vnd.oci.image.manifest.v1+json";
    private static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String ACCEPT = IMAGE + ", " + INDEX;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUMMARY = Pattern.compile("blobs marked, (\\d+) blobs \\(");
    /** The base layers every image draws from. */
    private static final List<byte[]> SHARED = Stream.iterate(0, i -> i + 1).limit(6)
            .map(i -> random(new Random(i), 32 * 1024)).toList();

    @TempDir
    Path work;

    private record Pushed(String repository, Digest digest) {
    }

    /** The server's error and warning lines, with the stack trace lines after them, for a failure's message. */
    private static String problems(ServerProcess server) {
        try {
            return server.log().lines().filter(line -> !line.contains(" INFO ") && !line.contains(" DEBUG "))
                    .limit(200).collect(java.util.stream.Collectors.joining("\n"));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void collectingWhileClientsPushPullAndDeleteLosesNothing() throws Exception {
        Path root = Files.createDirectories(work.resolve("data"));
        // what stays once everything is deleted: the roots distribution needs (Layout.keptWhenEmpty)
        Set<Path> baseline = new HashSet<>(filesUnder(root));
        for (Path kept = root.resolve("docker/registry/v2/repositories"); !kept.equals(root); kept = kept.getParent()) {
            baseline.add(kept);
        }
        baseline.add(root.resolve("docker/registry/v2/blobs"));
        try (ServerProcess server = ServerProcess.start(work, root, Map.of("REGISTRY_LOG_LEVEL", "info",
                "REGISTRY_BERTH_GC_INTERVAL", "1s", "REGISTRY_BERTH_GC_GRACE", GRACE.toSeconds() + "s",
                "REGISTRY_BERTH_GC_DELETEUNTAGGED", "true"))) {
            RegistryClient registry = new RegistryClient(server);
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger pushes = new AtomicInteger();
            AtomicInteger collections = new AtomicInteger();
            AtomicLong collected = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            threads.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    garbageCollect(server.config(), failures).ifPresent(deleted -> {
                        collections.incrementAndGet();
                        collected.addAndGet(deleted);
                    });
                }
            }));
            for (int c = 0; c < CLIENTS; c++) {
                Client client = new Client(registry, new Random(100 + c), failures, pushes);
                threads.add(Thread.ofVirtual().start(() -> client.run(stop)));
            }
            Thread.sleep(LOAD);
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failures).as(() -> "the server's log of errors:\n" + problems(server)).isEmpty();
            assertThat(pushes.get()).isGreaterThan(20);
            assertThat(collections.get()).isGreaterThanOrEqualTo(2);
            long collectedByServer = deleted(server.log());
            assertThat(collected.get() + collectedByServer).as("blobs deleted during the load").isPositive();
            System.out.printf("GcStressIT: %d pushes; meanwhile the server deleted %d blobs, and %d runs of"
                    + " garbage-collect %d%n", pushes.get(), collectedByServer, collections.get(), collected.get());
            assertThat(server.log()).contains("garbage collection: ").doesNotContain("garbage collection failed");

            // once the grace period is over and the server has collected again, storage holds exactly what the
            // surviving tags reach
            Thread.sleep(GRACE.plusSeconds(3));
            Set<Digest> live = new HashSet<>();
            List<Pushed> tagged = new ArrayList<>();
            for (String repository : catalog(registry)) {
                for (String tag : tags(registry, repository)) {
                    tagged.add(new Pushed(repository, pull(registry, repository, tag, live)));
                }
            }
            assertThat(tagged).isNotEmpty();
            assertThat(blobsUnder(root)).containsExactlyInAnyOrderElementsOf(live);

            // delete every tagged manifest; the server's own collection (the command no longer runs) takes the rest
            for (Pushed manifest : tagged) {
                HttpResponse<String> deleted = registry.send(registry.request(
                        "/v2/" + manifest.repository() + "/manifests/" + manifest.digest()).DELETE());
                assertThat(deleted.statusCode()).isIn(202, 404);
            }
            long deadline = System.nanoTime() + GRACE.plusSeconds(15).toNanos();
            while (!filesUnder(root).equals(baseline) && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertThat(filesUnder(root)).isEqualTo(baseline);
            assertThat(catalog(registry)).isEmpty();
        }
    }

    /** One client: pushes images (sometimes an index, sometimes a referrer), pulls them back, deletes some. */
    private static final class Client {
        private final RegistryClient registry;
        private final Random random;
        private final Queue<String> failures;
        private final AtomicInteger pushes;
        private final List<Pushed> mine = new ArrayList<>();

        Client(RegistryClient registry, Random random, Queue<String> failures, AtomicInteger pushes) {
            this.registry = registry;
            this.random = random;
            this.failures = failures;
            this.pushes = pushes;
        }

        void run(AtomicBoolean stop) {
            while (!stop.get()) {
                String repository = REPOSITORIES.get(random.nextInt(REPOSITORIES.size()));
                String tag = "t" + random.nextInt(4);
                long started = System.nanoTime();
                try {
                    Digest pushed = switch (random.nextInt(6)) {
                        case 0 -> index(repository, tag);
                        case 1 -> referrer(repository, image(repository, tag));
                        default -> image(repository, tag);
                    };
                    pull(registry, repository, pushed.toString(), new HashSet<>());
                    mine.add(new Pushed(repository, pushed));
                    pushes.incrementAndGet();
                    if (random.nextInt(4) == 0) {
                        Pushed victim = mine.remove(random.nextInt(mine.size()));
                        registry.send(registry.request("/v2/" + victim.repository() + "/manifests/"
                                + victim.digest()).DELETE());
                    }
                } catch (Throwable e) {
                    Duration took = Duration.ofNanos(System.nanoTime() - started);
                    // the protocol promises nothing to a push that outlives the grace period
                    if (took.compareTo(GRACE) < 0) {
                        failures.add("push to " + repository + ":" + tag + " failed after " + took.toMillis()
                                + " ms: " + e);
                    }
                }
            }
        }

        private Digest image(String repository, String tag) throws Exception {
            return putManifest(repository, tag, IMAGE, imageBody(repository, Stream.empty()));
        }

        private Digest index(String repository, String tag) throws Exception {
            List<String> children = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                byte[] child = imageBody(repository, Stream.empty());
                children.add(descriptor(IMAGE, putManifest(repository, null, IMAGE, child), child.length));
            }
            return putManifest(repository, tag, INDEX, ("{\"schemaVersion\":2,\"mediaType\":\"" + INDEX
                    + "\",\"manifests\":[" + String.join(",", children) + "]}").getBytes(StandardCharsets.UTF_8));
        }

        private Digest referrer(String repository, Digest subject) throws Exception {
            byte[] subjectBody = registry.sendForBytes(registry.request("/v2/" + repository + "/manifests/" + subject)
                    .header("Accept", ACCEPT)).body();
            return putManifest(repository, null, IMAGE, imageBody(repository,
                    Stream.of(",\"subject\":" + descriptor(IMAGE, subject, subjectBody.length))));
        }

        /** Uploads two shared layers, one of its own and a config, as a client does: HEAD first, then upload. */
        private byte[] imageBody(String repository, Stream<String> extra) throws Exception {
            List<String> layers = new ArrayList<>();
            for (byte[] layer : List.of(SHARED.get(random.nextInt(SHARED.size())),
                    SHARED.get(random.nextInt(SHARED.size())), random(random, 8 * 1024 + random.nextInt(16 * 1024)))) {
                layers.add(descriptor("application/vnd.oci.image.layer.v1.tar", blob(repository, layer), layer.length));
            }
            byte[] config = ("{\"nonce\":" + random.nextLong() + "}").getBytes(StandardCharsets.UTF_8);
            String body = "{\"schemaVersion\":2,\"mediaType\":\"" + IMAGE + "\",\"config\":"
                    + descriptor("application/vnd.oci.image.config.v1+json", blob(repository, config), config.length)
                    + ",\"layers\":[" + String.join(",", layers) + "]" + extra.collect(Collectors.joining()) + "}";
            return body.getBytes(StandardCharsets.UTF_8);
        }

        private Digest blob(String repository, byte[] content) throws Exception {
            Digest digest = Digest.sha256(content);
            thinkTime();
            HttpResponse<String> head = registry.send(registry.request("/v2/" + repository + "/blobs/" + digest)
                    .method("HEAD", BodyPublishers.noBody()));
            if (head.statusCode() != 200) {
                registry.pushMonolithic(repository, () -> new java.io.ByteArrayInputStream(content), content.length,
                        digest);
            }
            return digest;
        }

        private Digest putManifest(String repository, String tag, String mediaType, byte[] body) throws Exception {
            Digest digest = Digest.sha256(body);
            thinkTime();
            registry.pushManifest(repository, tag == null ? digest.toString() : tag, mediaType, body);
            return digest;
        }

        private void thinkTime() throws InterruptedException {
            Thread.sleep(random.nextInt(100));
        }
    }

    /**
     * Pulls a manifest with everything it reaches (children, config, layers, referrers), checking every digest;
     * adds what it saw to {@code seen} and returns the manifest's digest.
     */
    private static Digest pull(RegistryClient registry, String repository, String reference, Set<Digest> seen)
            throws Exception {
        HttpResponse<byte[]> response = registry.sendForBytes(registry.request("/v2/" + repository + "/manifests/"
                + reference).header("Accept", ACCEPT));
        assertThat(response.statusCode()).as("GET %s:%s", repository, reference).isEqualTo(200);
        Digest digest = Digest.sha256(response.body());
        assertThat(response.headers().firstValue("Docker-Content-Digest")).contains(digest.toString());
        if (!seen.add(digest)) {
            return digest;
        }
        JsonNode manifest = JSON.readTree(response.body());
        for (JsonNode child : manifest.path("manifests")) {
            pull(registry, repository, child.path("digest").asText(), seen);
        }
        List<JsonNode> blobs = new ArrayList<>();
        manifest.path("layers").forEach(blobs::add);
        if (manifest.has("config")) {
            blobs.add(manifest.get("config"));
        }
        for (JsonNode blob : blobs) {
            Digest expected = Digest.parse(blob.path("digest").asText());
            assertThat(registry.pullDigest(repository, expected)).isEqualTo(expected);
            seen.add(expected);
        }
        JsonNode referrers = JSON.readTree(registry.send(registry.request("/v2/" + repository + "/referrers/"
                + digest)).body());
        for (JsonNode referrer : referrers.path("manifests")) {
            pull(registry, repository, referrer.path("digest").asText(), seen);
        }
        return digest;
    }

    /**
     * Runs {@code berth garbage-collect} on the server's storage and returns how many blobs it deleted; empty when
     * it failed, which is recorded.
     */
    private static OptionalLong garbageCollect(Path config, Queue<String> failures) {
        try {
            Process process = new ProcessBuilder(ServerProcess.java(), "-jar", ServerProcess.jar(), "garbage-collect",
                    "--quiet", "--delete-untagged", "--grace", GRACE.toSeconds() + "s", config.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !SUMMARY.matcher(output).find()) {
                failures.add("garbage-collect failed: " + output);
                return OptionalLong.empty();
            }
            return OptionalLong.of(deleted(output));
        } catch (IOException | InterruptedException e) {
            failures.add("garbage-collect could not run: " + e);
            return OptionalLong.empty();
        }
    }

    /** The blobs deleted according to the collection summaries in {@code output}. */
    private static long deleted(String output) {
        return SUMMARY.matcher(output).results().mapToLong(m -> Long.parseLong(m.group(1))).sum();
    }

    private static List<String> catalog(RegistryClient registry) throws Exception {
        List<String> names = new ArrayList<>();
        JSON.readTree(registry.send(registry.request("/v2/_catalog")).body()).path("repositories")
                .forEach(name -> names.add(name.asText()));
        return names;
    }

    private static List<String> tags(RegistryClient registry, String repository) throws Exception {
        List<String> tags = new ArrayList<>();
        JSON.readTree(registry.send(registry.request("/v2/" + repository + "/tags/list")).body()).path("tags")
                .forEach(tag -> tags.add(tag.asText()));
        return tags;
    }

    private static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private static byte[] random(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static Set<Digest> blobsUnder(Path root) throws IOException {
        return filesUnder(root).stream()
                .filter(p -> p.getFileName().toString().equals("data") && p.toString().contains("/blobs/"))
                .map(p -> Digest.parse(p.getParent().getParent().getParent().getFileName() + ":"
                        + p.getParent().getFileName()))
                .collect(Collectors.toSet());
    }

    private static Set<Path> filesUnder(Path root) throws IOException {
        // the server's collection may prune a directory (or remove its _berth/clock) while the walk is in it: then
        // walk again
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> files = Files.walk(root)) {
                return files.collect(Collectors.toSet());
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == 10) {
                    throw e;
                }
            }
        }
    }
}
