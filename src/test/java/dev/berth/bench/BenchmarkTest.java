package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.auth.OpenAccess;
import dev.berth.http.RegistryHandler;
import dev.berth.http.RegistryServer;
import dev.berth.oci.Digest;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark against a real Berth: every workload passes its checks, and corrupted content is caught. */
class BenchmarkTest {

    @TempDir
    Path storage;

    private RegistryServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        startBehind(handler -> handler);
    }

    /** Serves Berth through {@code wrap}: a registry that misbehaves in the one way the wrapper does. */
    private void startBehind(UnaryOperator<Handler> wrap) throws Exception {
        if (server != null) {
            server.close();
        }
        Registry registry = Registry.over(new FilesystemDriver(storage), true, ManifestRules.NO_URLS,
                Clock.systemUTC());
        server = new RegistryServer(new InetSocketAddress("127.0.0.1", 0),
                wrap.apply(new RegistryHandler(registry, new OpenAccess())));
        server.start();
        address = new InetSocketAddress("127.0.0.1", server.port());
    }

    /** Answers the requests {@code sabotaged} picks itself, with {@code answer}; the rest reach the registry. */
    private static Handler answering(BiPredicate<String, String> sabotaged, Request.Handler answer,
                                     Handler registry) {
        return new Handler.Wrapper(registry) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (sabotaged.test(request.getMethod(), Request.getPathInContext(request))) {
                    return answer.handle(request, response, callback);
                }
                return super.handle(request, response, callback);
            }
        };
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Options small(List<Workload> workloads) {
        return new Options(address, Optional.empty(), "", "", workloads, 3 * Options.MIB + 5, Options.MIB,
                Duration.ofMillis(200),
                Duration.ZERO, 4, 7, 3, 2, 4096, 2);
    }

    @Test
    void everyWorkloadPassesAgainstACorrectRegistry() {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<Result> results = new Benchmark(small(List.of(Workload.values())), new PrintStream(progress)).run();

        assertThat(results).extracting(Result::workload).containsExactly(
                "push 3145733 B monolithic", "push 3145733 B in 1 MiB chunks", "pull 3145733 B",
                "HEAD manifest by tag", "GET manifest by digest", "GET tags/list (7 tags)",
                "3 images push", "3 images pull");
        assertThat(results).allSatisfy(result -> assertThat(result.passed()).as(Report.describe(result)).isTrue());
        assertThat(results.subList(0, 3)).allSatisfy(r -> assertThat(r).isInstanceOf(Result.Throughput.class));
        assertThat(results.subList(3, 6)).allSatisfy(r -> assertThat(((Result.Rate) r).requests()).isPositive());
    }

    @Test
    void theImagesAreMeasuredAfterAnUnrecordedRoundOfTheirOwn() throws Exception {
        Options warm = new Options(address, Optional.empty(), "", "", List.of(Workload.IMAGES), Options.MIB,
                Options.MIB,
                Duration.ofMillis(200), Duration.ofMillis(100), 4, 7, 3, 2, 4096, 2);
        List<Result> results = new Benchmark(warm, new PrintStream(new ByteArrayOutputStream())).run();

        assertThat(results).extracting(Result::workload).containsExactly("3 images push", "3 images pull");
        assertThat(results).allSatisfy(result -> assertThat(result.passed()).isTrue());
        assertThat(imageRepositories()).containsExactlyInAnyOrder(
                "image-0", "image-1", "image-2", "image-warm-up-0", "image-warm-up-1", "image-warm-up-2");
    }

    @Test
    void withoutAWarmUpTheImagesRunOnce() throws Exception {
        new Benchmark(small(List.of(Workload.IMAGES)), new PrintStream(new ByteArrayOutputStream())).run();

        assertThat(imageRepositories()).containsExactlyInAnyOrder("image-0", "image-1", "image-2");
    }

    @Test
    void aNamespacePutsTheRunsRepositoriesUnderIt() throws Exception {
        Options options = new Options(address, Optional.empty(), "", "team/ci", List.of(Workload.IMAGES),
                Options.MIB, Options.MIB,
                Duration.ofMillis(200), Duration.ZERO, 4, 7, 3, 2, 4096, 2);
        new Benchmark(options, new PrintStream(new ByteArrayOutputStream())).run();

        try (Stream<Path> runs = Files.list(storage.resolve("docker/registry/v2/repositories/team/ci"))) {
            assertThat(runs.map(run -> run.getFileName().toString())).singleElement()
                    .satisfies(run -> assertThat(run).startsWith("bench-"));
        }
        assertThatThrownBy(() -> new Options(address, Optional.empty(), "", "Team/../x", List.of(Workload.IMAGES),
                Options.MIB,
                Options.MIB, Duration.ofMillis(200), Duration.ZERO, 4, 7, 3, 2, 4096, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace");
    }

    /** The repositories the images workload pushed to, without the run's prefix. */
    private List<String> imageRepositories() throws IOException {
        List<String> names = new ArrayList<>();
        Path root = storage.resolve("docker/registry/v2/repositories");
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(root)) {
            for (Path run : runs) {
                try (DirectoryStream<Path> repositories = Files.newDirectoryStream(run)) {
                    repositories.forEach(repository -> names.add(repository.getFileName().toString()));
                }
            }
        }
        return names;
    }

    @Test
    void pullWithoutPushStoresItsOwnBlob() {
        List<Result> results = new Benchmark(small(List.of(Workload.PULL)), new PrintStream(new ByteArrayOutputStream()))
                .run();
        assertThat(results).singleElement().satisfies(r -> assertThat(r.passed()).isTrue());
    }

    @Test
    void aBlobCorruptedInStorageFailsThePull() throws Exception {
        V2Client client = new V2Client(new Authorization("", Optional.empty(), Clock.systemUTC()));
        byte[] content = new byte[100_000];
        new RandomData().fill(MemorySegment.ofArray(content));
        Digest digest = Checks.sha256(content);
        try (HttpConnection connection = new HttpConnection(address, Optional.empty())) {
            client.pushMonolithic(connection, "corrupt/me", ByteBuffer.wrap(content), digest);
            Path data;
            try (Stream<Path> files = Files.walk(storage)) {
                data = files.filter(p -> p.toString().endsWith(digest.encoded() + "/data")).findFirst().orElseThrow();
            }
            byte[] stored = Files.readAllBytes(data);
            stored[50_000] ^= 1;
            Files.write(data, stored);

            ByteBuffer into = ByteBuffer.allocate(content.length);
            client.pullBlob(connection, "corrupt/me", digest, content.length, into);
            assertThatThrownBy(() -> Checks.digest(into.flip(), digest, "GET blob"))
                    .isInstanceOf(CheckFailedException.class);
            assertThatThrownBy(() -> client.blob(connection, "corrupt/me", digest, content.length, into))
                    .isInstanceOf(CheckFailedException.class).hasMessageContaining("digest");
        }
    }

    @Test
    void aMissingBlobIsAFailureNotASpeed() throws Exception {
        V2Client client = new V2Client(new Authorization("", Optional.empty(), Clock.systemUTC()));
        try (HttpConnection connection = new HttpConnection(address, Optional.empty())) {
            assertThatThrownBy(() -> client.pullBlob(connection, "no/such", Checks.sha256(new byte[1]), 1,
                    ByteBuffer.allocate(1)))
                    .isInstanceOf(CheckFailedException.class).hasMessageContaining("404");
        }
    }

    @Test
    void failuresDuringTheWarmUpAreReported() throws Exception {
        AtomicInteger failing = new AtomicInteger(5);
        startBehind(registry -> answering((method, path) -> method.equals("HEAD") && path.contains("/manifests/")
                && failing.getAndDecrement() > 0, (request, response, callback) -> {
                    response.setStatus(500);
                    callback.succeeded();
                    return true;
                }, registry));
        Options warm = new Options(address, Optional.empty(), "", "", List.of(Workload.SMALL), Options.MIB,
                Options.MIB, Duration.ofMillis(200), Duration.ofMillis(300), 2, 3, 1, 1, 4096, 1);

        List<Result> results = new Benchmark(warm, new PrintStream(new ByteArrayOutputStream())).run();

        Result head = results.getFirst();
        assertThat(head.workload()).isEqualTo("HEAD manifest by tag");
        assertThat(head.passed()).isFalse();
        assertThat(((Result.Rate) head).failures()).isEqualTo(5);
        assertThat(((Result.Rate) head).errors().getFirst()).startsWith("during the warm-up: ");
    }

    @Test
    void aPushAnsweredButNotStoredIsAFailureNotASpeed() throws Exception {
        startBehind(registry -> answering((method, path) -> method.equals("PUT") && path.contains("/blobs/uploads/"),
                (request, response, callback) -> {
                    Content.Source.consumeAll(request);
                    String digest = Request.extractQueryParameters(request).getValue("digest");
                    response.getHeaders().put("Docker-Content-Digest", digest);
                    response.getHeaders().put("Location", "/v2/x/blobs/" + digest);
                    response.setStatus(201);
                    callback.succeeded();
                    return true;
                }, registry));

        List<Result> results = new Benchmark(small(List.of(Workload.PUSH, Workload.CHUNKED)),
                new PrintStream(new ByteArrayOutputStream())).run();

        assertThat(results).hasSize(2).allSatisfy(result -> {
            assertThat(result).isInstanceOf(Result.Failed.class);
            assertThat(Report.describe(result)).contains("HEAD blob after its push: expected 200, got 404");
        });
    }

    @Test
    void aPushAnsweredWithoutLocationFails() throws Exception {
        startBehind(registry -> new Handler.Wrapper(registry) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Response withoutLocation = new Response.Wrapper(request, response) {
                    @Override
                    public HttpFields.Mutable getHeaders() {
                        return new HttpFields.Mutable.Wrapper(super.getHeaders()) {
                            @Override
                            public HttpField onAddField(HttpField field) {
                                boolean created = request.getMethod().equals("PUT");
                                return created && field.is("Location") ? null : field;
                            }
                        };
                    }
                };
                return super.handle(request, withoutLocation, callback);
            }
        });

        List<Result> results = new Benchmark(small(List.of(Workload.PUSH)), new PrintStream(new ByteArrayOutputStream()))
                .run();

        assertThat(results).singleElement().satisfies(result ->
                assertThat(Report.describe(result)).contains("PUT upload: no Location header"));
    }

    @Test
    void anUnreachableRegistryIsReported() throws Exception {
        server.close();
        List<Result> results = new Benchmark(small(List.of(Workload.SMALL)), new PrintStream(new ByteArrayOutputStream()))
                .run();
        assertThat(results).singleElement().satisfies(r -> assertThat(r.passed()).isFalse());
    }
}
