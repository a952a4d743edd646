package dev.berth.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many small images pushed by several workers at once, then pulled back by as many and verified: the wall time of
 * each direction. Each image goes to its own repository, as different images usually do. The images are
 * generated before the clock starts, and every byte pushed or pulled stays off the heap, so that the client's
 * garbage collector takes no part in the figures.
 */
final class ImageRoundTrip {

    private final Options options;
    private final V2Client client;
    private final RandomData random;
    private final String repositoryPrefix;
    private final String label;

    ImageRoundTrip(Options options, V2Client client, RandomData random, String repositoryPrefix, String label) {
        this.options = options;
        this.client = client;
        this.random = random;
        this.repositoryPrefix = repositoryPrefix;
        this.label = label;
    }

    /**
     * With a warm-up, first pushes and pulls as many other images to other repositories, unrecorded: the client is
     * a fresh JVM, and within the half second a round takes its JIT compilers would compete with the registry for
     * the cores.
     */
    List<Result> run(PrintStream progress) {
        progress.printf("  %d images of %d x %s layers, %d workers%s%n", options.images(), options.layers(),
                Report.size(options.layerSize()), options.workers(),
                options.warmup().isZero() ? "" : ", after an unrecorded round of as many");
        if (!options.warmup().isZero()) {
            Optional<Result> failed = roundTrip(repositoryPrefix + "-warm-up").stream()
                    .filter(result -> !result.passed()).findFirst();
            if (failed.isPresent()) {
                String reason = "the warm-up round failed: " + Report.describe(failed.get());
                return List.of(new Result.Failed(label + " push", reason), new Result.Failed(label + " pull", reason));
            }
        }
        return roundTrip(repositoryPrefix);
    }

    private List<Result> roundTrip(String prefix) {
        try (Arena arena = Arena.ofShared()) {
            List<RandomImage> images = new ArrayList<>();
            for (int i = 0; i < options.images(); i++) {
                images.add(RandomImage.generate(random, arena, options.layers(), options.layerSize()));
            }
            // a request per blob for HEAD, POST and PUT, and one manifest PUT
            long pushRequests = (long) images.size() * (3L * (options.layers() + 1) + 1);
            long pullRequests = (long) images.size() * (options.layers() + 2);
            Result push = timed(label + " push", pushRequests, images, arena, (connection, scratch, i) ->
                    images.get(i).push(client, connection, prefix + "-" + i, List.of("v1")));
            if (!push.passed()) {
                return List.of(push, new Result.Failed(label + " pull", "the push failed"));
            }
            Result pull = timed(label + " pull", pullRequests, images, arena, (connection, scratch, i) ->
                    images.get(i).pull(client, connection, prefix + "-" + i, "v1", scratch));
            return List.of(push, pull);
        }
    }

    @FunctionalInterface
    private interface Step {
        /** @param scratch the worker's own buffer, large enough for any blob of the images */
        void run(HttpConnection connection, ByteBuffer scratch, int image) throws IOException;
    }

    /** Runs {@code step} for every image, spread over the workers; fails as a whole if any image fails. */
    private Result timed(String name, long requests, List<RandomImage> images, Arena arena, Step step) {
        int largestBlob = images.stream().mapToInt(RandomImage::largestBlob).max().orElse(0);
        List<ByteBuffer> scratches = new ArrayList<>();
        for (int w = 0; w < options.workers(); w++) {
            scratches.add(arena.allocate(Math.max(1, largestBlob), 8).asByteBuffer());
        }
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (ByteBuffer scratch : scratches) {
            workers.add(Thread.ofVirtual().start(() -> {
                try (HttpConnection connection = options.connection()) {
                    for (int i; (i = next.getAndIncrement()) < images.size() && errors.isEmpty(); ) {
                        step.run(connection, scratch, i);
                    }
                } catch (IOException | RuntimeException e) {
                    errors.add(e.getMessage());
                }
            }));
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result.Failed(name, "interrupted");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return errors.isEmpty() ? new Result.WallTime(name, requests, seconds) : new Result.Failed(name, errors.peek());
    }
}
