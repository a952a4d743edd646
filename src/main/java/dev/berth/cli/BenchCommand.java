package dev.berth.cli;

import dev.berth.bench.Benchmark;
import dev.berth.bench.Options;
import dev.berth.bench.Report;
import dev.berth.bench.Result;
import dev.berth.bench.TlsClient;
import dev.berth.bench.Workload;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth bench URL}: a load generator for any Docker Registry v2 / OCI registry on this machine, as zot's
 * {@code zb}. Exit code 0 when every request passed its checks, 1 when any failed, 2 on bad arguments.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark a registry on this machine: large pushes and pulls, small requests at many "
                + "connections, many small images. Every answer and digest is checked; failures are reported, "
                + "never counted as speed.",
                "Workloads: push, chunked, pull, small, images (all by default)."})
final class BenchCommand implements Callable<Integer> {

    private static final int MAX_CHUNK_MIB = Integer.MAX_VALUE >> 20;
    private static final int MAX_LAYER_KIB = Integer.MAX_VALUE >> 10;
    private static final int MAX_SECONDS = 3600;

    @Parameters(index = "0", paramLabel = "URL", description = "the registry, e.g. http://127.0.0.1:5000 "
            + "or https://127.0.0.1:5000")
    URI url;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "with https: trust the CA certificates of this PEM file instead of the system's")
    Path caBundle;

    @Option(names = {"-k", "--insecure"},
            description = "with https: check neither the server's certificate nor its name (test registries only)")
    boolean insecure;

    @Option(names = "--user", paramLabel = "USER:PASSWORD", description = "credentials, sent as Basic "
            + "authentication, or to the registry's token service when it asks for Bearer tokens")
    String user = "";

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "",
            description = "put the run's repositories under NAME/ (e.g. the user's own, where access rules ask for "
                    + "it); default: the top level")
    String namespace;

    @Option(names = "--workloads", split = ",", paramLabel = "W",
            description = "which workloads to run, comma-separated (default: all)")
    List<String> workloads;

    @Option(names = "--json", description = "print the results as JSON instead of a table")
    boolean json;

    @Option(names = "--blob-size", paramLabel = "MiB", defaultValue = "1024",
            description = "size of the large blob in MiB (default ${DEFAULT-VALUE})")
    int blobMib;

    @Option(names = "--chunk-size", paramLabel = "MiB", defaultValue = "64",
            description = "PATCH size of the chunked push in MiB (default ${DEFAULT-VALUE})")
    int chunkMib;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "10",
            description = "seconds each kind of small request is measured (default ${DEFAULT-VALUE})")
    double durationSeconds;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "5",
            description = "unmeasured seconds before each kind of small request (default ${DEFAULT-VALUE}); "
                    + "0 also leaves out the unrecorded first round of the images")
    double warmupSeconds;

    @Option(names = "--connections", defaultValue = "64", description = "connections for small requests")
    int connections;

    @Option(names = "--tags", defaultValue = "100", description = "tags of the listed repository")
    int tags;

    @Option(names = "--images", defaultValue = "32", description = "images of the images workload")
    int images;

    @Option(names = "--layers", defaultValue = "5", description = "layers per image")
    int layers;

    @Option(names = "--layer-size", paramLabel = "KiB", defaultValue = "1024", description = "layer size in KiB")
    int layerKib;

    @Option(names = "--workers", defaultValue = "8", description = "workers pushing and pulling images")
    int workers;

    @Override
    public Integer call() {
        Options options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            System.err.println("berth bench: " + e.getMessage());
            return 2;
        }
        List<Result> results = new Benchmark(options, System.err).run();
        System.out.print(json ? Report.json(results) : Report.table(results));
        return results.stream().allMatch(Result::passed) ? 0 : 1;
    }

    private Options options() {
        boolean https = "https".equals(url.getScheme());
        if (!(https || "http".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("the URL must be http://HOST:PORT or https://HOST:PORT, not " + url);
        }
        if (!https && (caBundle != null || insecure)) {
            throw new IllegalArgumentException("--cacert and --insecure are for an https URL");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("give the credentials with --user, not in the URL");
        }
        if (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/")) {
            throw new IllegalArgumentException("the registry's API is at /v2/ of its host; the URL takes no path");
        }
        if (!user.isEmpty() && !user.contains(":")) {
            throw new IllegalArgumentException("--user takes USER:PASSWORD");
        }
        // shifted into bytes below: larger ones would overflow an int
        if (chunkMib > MAX_CHUNK_MIB || layerKib > MAX_LAYER_KIB) {
            throw new IllegalArgumentException("--chunk-size is at most " + MAX_CHUNK_MIB + " MiB and --layer-size is at most "
                    + MAX_LAYER_KIB + " KiB");
        }
        if (durationSeconds > MAX_SECONDS || warmupSeconds > MAX_SECONDS) {
            throw new IllegalArgumentException("--duration and --warmup are at most " + MAX_SECONDS + " seconds");
        }
        List<Workload> selected = new ArrayList<>();
        for (String id : workloads == null ? List.<String>of() : workloads) {
            selected.add(Workload.byId(id).orElseThrow(() -> new IllegalArgumentException("no workload " + id
                    + "; the workloads are push, chunked, pull, small, images")));
        }
        if (workloads == null) {
            selected.addAll(List.of(Workload.values()));
        } else if (selected.isEmpty()) {
            throw new IllegalArgumentException("--workloads names no workload");
        }
        selected.sort(null);
        InetSocketAddress address = new InetSocketAddress(url.getHost(),
                url.getPort() >= 0 ? url.getPort() : https ? 443 : 80);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve " + url.getHost());
        }
        return new Options(address, https ? Optional.of(tls()) : Optional.empty(), user, namespace, selected, (long) blobMib << 20, chunkMib << 20,
                seconds(durationSeconds), seconds(warmupSeconds), connections, tags, images, layers, layerKib << 10,
                workers);
    }

    private TlsClient tls() {
        try {
            if (insecure) {
                return TlsClient.insecure();
            }
            return caBundle != null ? TlsClient.trusting(caBundle) : TlsClient.trustingTheSystem();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS"
                    + (caBundle != null ? " with the CAs of " + caBundle : "") + ": " + e.getMessage());
        }
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos((long) (seconds * 1e9));
    }
}
