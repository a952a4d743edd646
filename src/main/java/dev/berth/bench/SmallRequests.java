package dev.berth.bench;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small requests at many connections, one kind at a time for a fixed time: HEAD manifest by tag, GET manifest by
 * digest, GET of the tag list of a repository with many tags. Each worker owns a keep-alive connection and sends
 * the next request as soon as the last one is answered and checked (a closed loop, so latency and rate are two
 * views of the same load).
 */
final class SmallRequests {

    /** One kind of request: sends it on a connection and checks the answer. */
    @FunctionalInterface
    interface Call {
        void run(HttpConnection connection, long sequence) throws IOException;
    }

    private final Options options;
    private final V2Client client;
    private final RandomData random;
    private final String repository;
    private final String suffix;

    SmallRequests(Options options, V2Client client, RandomData random, String repository, String suffix) {
        this.options = options;
        this.client = client;
        this.random = random;
        this.repository = repository;
        this.suffix = suffix;
    }

    List<Result> run(PrintStream progress) throws IOException {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < options.tags(); i++) {
            tags.add(String.format("t%03d", i));
        }
        RandomImage image;
        byte[] expectedTagList;
        try (HttpConnection connection = options.connection(); Arena layer = Arena.ofConfined()) {
            image = RandomImage.generate(random, layer, 1, 1024);
            image.push(client, connection, repository, tags);
            Response list = client.tags(connection, repository);
            checkTags(list, tags);
            expectedTagList = list.body();
        }
        String accept = image.mediaType();
        Digest digest = image.manifestDigest();
        String manifestByDigest = digest.toString();
        byte[] manifest = image.manifest();
        List<Result> results = new ArrayList<>();
        results.add(measure("HEAD manifest by tag" + suffix, progress, (connection, n) ->
                client.headManifest(connection, repository, tags.get((int) (n % tags.size())), accept, digest)));
        results.add(measure("GET manifest by digest" + suffix, progress, (connection, n) -> {
            Response response = connection.exchange(client.request("GET", Optional.of(repository),
                    "/v2/" + repository + "/manifests/" + manifestByDigest).header("Accept", accept));
            Checks.status(response, 200, "GET manifest");
            Checks.contentDigest(response, digest, "GET manifest");
            Checks.body(response, manifest, "GET manifest");
        }));
        results.add(measure("GET tags/list (" + tags.size() + " tags)" + suffix, progress, (connection, n) -> {
            Response list = client.tags(connection, repository);
            if (!java.util.Arrays.equals(list.body(), expectedTagList)) {
                checkTags(list, tags);
            }
        }));
        return results;
    }

    private Result measure(String name, PrintStream progress, Call call) {
        progress.printf("  %s: %d connections, %s warm-up, %s measured%n", name, options.connections(),
                options.warmup(), options.duration());
        Optional<Load> warmup = options.warmup().isZero() ? Optional.empty()
                : Optional.of(load(call, options.warmup()));
        Load measured = load(call, options.duration());
        // the warm-up's answers are not timed, but checked all the same: a failure there is a failure
        warmup.ifPresent(measured::addFailuresOf);
        return measured.result(name);
    }

    /** Runs {@code call} on every connection until {@code duration} has passed; every answer is checked. */
    private Load load(Call call, Duration duration) {
        Load load = new Load();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < options.connections(); i++) {
            workers.add(Thread.ofVirtual().name("bench-" + i).start(() -> work(call, deadline, load)));
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        load.seconds = (System.nanoTime() - start) / 1e9;
        return load;
    }

    private void work(Call call, long deadline, Load load) {
        Latencies latencies = new Latencies();
        long sequence = 0;
        try (HttpConnection connection = options.connection()) {
            for (long now = System.nanoTime(); now < deadline; ) {
                try {
                    call.run(connection, sequence++);
                    long end = System.nanoTime();
                    latencies.add(end - now);
                    now = end;
                } catch (IOException | RuntimeException e) {
                    load.failed(e);
                    connection.close();
                    pause();
                    now = System.nanoTime();
                }
            }
        }
        load.add(latencies);
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the workers of one load measured, merged as they finish. Thread-safe. */
    private static final class Load {
        private final Latencies latencies = new Latencies();
        private final AtomicLong failures = new AtomicLong();
        private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        private double seconds;

        synchronized void add(Latencies worker) {
            latencies.addAll(worker);
        }

        void failed(Exception e) {
            failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }

        private void failed(String error) {
            if (failures.incrementAndGet() <= 5) {
                errors.add(error);
            }
        }

        void addFailuresOf(Load warmup) {
            for (String error : warmup.errors) {
                failed("during the warm-up: " + error);
            }
            failures.addAndGet(warmup.failures.get() - warmup.errors.size());
        }

        synchronized Result result(String name) {
            if (latencies.count() == 0) {
                return new Result.Failed(name, "no request succeeded" + (errors.isEmpty() ? "" : ": " + errors.peek()));
            }
            long[] sorted = latencies.sorted();
            return new Result.Rate(name, sorted.length, seconds, Latencies.percentile(sorted, 50) / 1e6,
                    Latencies.percentile(sorted, 99) / 1e6, failures.get(), List.copyOf(errors));
        }
    }

    /** The list names exactly {@code expected} (sorted), in any order: distribution 2.8 does not sort it. */
    static void checkTags(Response list, List<String> expected) {
        List<String> listed = new ArrayList<>(tagsIn(list.text()));
        listed.sort(null);
        if (!listed.equals(expected)) {
            throw new CheckFailedException("GET tags/list: listed " + listed.size() + " tags, not the "
                    + expected.size() + " pushed");
        }
    }

    /**
     * The tags of a tag-list body ({@code {"name":..., "tags":[...]}}), in the order listed. Tags are plain
     * {@code [A-Za-z0-9_.-]} strings, so no JSON escapes need decoding; anything unexpected fails the check.
     */
    static List<String> tagsIn(String json) {
        int key = json.indexOf("\"tags\"");
        int open = key < 0 ? -1 : json.indexOf('[', key);
        int close = open < 0 ? -1 : json.indexOf(']', open);
        if (close < 0) {
            throw new CheckFailedException("GET tags/list: no tags array in " + abbreviate(json));
        }
        List<String> tags = new ArrayList<>();
        String inside = json.substring(open + 1, close).trim();
        if (inside.isEmpty()) {
            return tags;
        }
        for (String item : inside.split(",")) {
            String quoted = item.trim();
            if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"'
                    || !quoted.substring(1, quoted.length() - 1).matches("[A-Za-z0-9_.-]+")) {
                throw new CheckFailedException("GET tags/list: not a tag: " + abbreviate(quoted));
            }
            tags.add(quoted.substring(1, quoted.length() - 1));
        }
        return tags;
    }

    private static String abbreviate(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
