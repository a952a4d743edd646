package dev.berth.bench;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A benchmark run against one registry: the workloads the options name, in order, each on fresh random data in
 * repositories unique to the run. The large blob lives off the heap, so the client's heap stays small and its
 * garbage collector out of the figures. A workload whose requests fail a check reports the failure, never a speed.
 */
public final class Benchmark {

    private final Options options;
    private final PrintStream progress;
    private final RandomData random = new RandomData();
    private final V2Client client;
    private final String run;

    public Benchmark(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
        this.client = new V2Client(new Authorization(options.credentials(), options.tls(), Clock.systemUTC()));
        this.run = random.id();
    }

    public List<Result> run() {
        List<Result> results = new ArrayList<>();
        try (HttpConnection connection = options.connection(); Arena arena = Arena.ofShared()) {
            client.base(connection);
            ByteBuffer blob = needsBlob() ? arena.allocate(options.blobSize(), 8).asByteBuffer() : null;
            Optional<Digest> pushed = Optional.empty();
            String repository = repository("blob");
            for (Workload workload : options.workloads()) {
                progress.printf("%s: running%n", label(workload));
                List<Result> measured;
                try {
                    measured = switch (workload) {
                    case PUSH, CHUNKED -> {
                        Digest digest = fill(blob);
                        Result r = push(connection, workload, repository, blob, digest);
                        if (r.passed()) {
                            pushed = Optional.of(digest);
                        }
                        yield List.of(r);
                    }
                    case PULL -> {
                        if (pushed.isEmpty()) {
                            Digest digest = fill(blob);
                            client.pushMonolithic(connection, repository, blob.clear(), digest);
                            pushed = Optional.of(digest);
                        }
                        yield List.of(pull(connection, repository, pushed.get(), arena));
                    }
                    case SMALL -> new SmallRequests(options, client, random, repository("small"),
                            options.authenticated() ? " (auth)" : "").run(progress);
                    case IMAGES -> new ImageRoundTrip(options, client, random, repository("image"),
                            label(workload)).run(progress);
                    };
                } catch (IOException | RuntimeException e) {
                    connection.close();
                    measured = List.of(new Result.Failed(label(workload), failure(e)));
                }
                for (Result result : measured) {
                    progress.printf("  %s: %s%n", result.workload(), Report.describe(result));
                }
                results.addAll(measured);
            }
        } catch (IOException | RuntimeException e) {
            results.add(new Result.Failed("GET /v2/ at " + options.address().getHostString() + ":"
                    + options.address().getPort(), e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        return results;
    }

    /** A repository of this run: {@code [<namespace>/]bench-<run>/<name>}. */
    private String repository(String name) {
        return (options.namespace().isEmpty() ? "" : options.namespace() + "/") + "bench-" + run + "/" + name;
    }

    private boolean needsBlob() {
        return options.workloads().stream()
                .anyMatch(w -> w == Workload.PUSH || w == Workload.CHUNKED || w == Workload.PULL);
    }

    /** New random content for the blob buffer, and its digest: both before any timing. */
    private Digest fill(ByteBuffer blob) {
        random.fill(java.lang.foreign.MemorySegment.ofBuffer(blob.clear()));
        return Checks.sha256(blob);
    }

    private Result push(HttpConnection connection, Workload workload, String repository, ByteBuffer blob,
                        Digest digest) {
        String name = label(workload);
        try {
            long start = System.nanoTime();
            if (workload == Workload.PUSH) {
                client.pushMonolithic(connection, repository, blob.clear(), digest);
            } else {
                client.pushChunked(connection, repository, blob.clear(), options.chunkSize(), digest);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            client.stored(connection, repository, digest, options.blobSize());
            return new Result.Throughput(name, options.blobSize(), seconds);
        } catch (IOException | RuntimeException e) {
            connection.close();
            return new Result.Failed(name, failure(e));
        }
    }

    /** What failed: the check's own words, or the exception's kind as well where it is not a check. */
    private static String failure(Exception e) {
        return e instanceof CheckFailedException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private Result pull(HttpConnection connection, String repository, Digest digest, Arena arena) {
        String name = label(Workload.PULL);
        try {
            ByteBuffer into = arena.allocate(options.blobSize(), 8).asByteBuffer();
            long start = System.nanoTime();
            client.pullBlob(connection, repository, digest, options.blobSize(), into);
            double seconds = (System.nanoTime() - start) / 1e9;
            Checks.digest(into.flip(), digest, "GET blob");
            return new Result.Throughput(name, options.blobSize(), seconds);
        } catch (IOException | RuntimeException e) {
            connection.close();
            return new Result.Failed(name, failure(e));
        }
    }

    private String label(Workload workload) {
        String size = Report.size(options.blobSize());
        String auth = options.authenticated() ? " (auth)" : "";
        return switch (workload) {
            case PUSH -> "push " + size + " monolithic" + auth;
            case CHUNKED -> "push " + size + " in " + Report.size(options.chunkSize()) + " chunks" + auth;
            case PULL -> "pull " + size + auth;
            case SMALL -> "small requests" + auth;
            case IMAGES -> options.images() + " images" + auth;
        };
    }
}
