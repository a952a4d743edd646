package dev.berth.cli;

import dev.berth.bench.Benchmark;
import dev.berth.bench.Options;
import dev.berth.bench.Result;
import dev.berth.bench.Workload;
import dev.berth.config.Config;
import dev.berth.config.ConfigLoader;
import dev.berth.storage.layout.Layout;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code berth aot-training} (hidden): serves a throw-away registry on loopback, built as {@code berth serve}
 * builds it, and runs a short benchmark against it in the same JVM, then exits. Run under
 * {@code -XX:AOTCacheOutput=FILE}, the JVM then writes an ahead-of-time cache of the classes (and their linking
 * and profiles) that serving used, which makes later starts of {@code berth serve -XX:AOTCache=FILE} several
 * times faster. The {@code berth} launcher does this once per built jar.
 */
@Command(name = "aot-training", hidden = true, description = "Exercise the server once, for an AOT cache.")
final class AotTrainingCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("berth-aot-training");
        // the access log stays on (its own switch), so that its lines are formatted as when serving
        Config config = new ConfigLoader(work).load(Optional.empty(), Map.of(
                "REGISTRY_LOG_LEVEL", "error",
                "REGISTRY_HTTP_ADDR", "127.0.0.1:0",
                "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", work.toString(),
                "REGISTRY_STORAGE_DELETE_ENABLED", "true")).config();
        Logging.configure(config.logLevel(), config.log());
        Serving serving = Serving.assemble(config);
        try {
            serving.start();
            Options options = new Options(new InetSocketAddress("127.0.0.1", serving.server().port()), "",
                    List.of(Workload.values()), 8L << 20, 2 << 20, Duration.ofMillis(500), Duration.ZERO, 4, 10,
                    4, 3, 64 << 10, 2);
            List<Result> results = new Benchmark(options, new PrintStream(OutputStream.nullOutputStream())).run();
            return results.stream().allMatch(Result::passed) ? 0 : 1;
        } finally {
            serving.stop();
            Wiring.storage(config).delete(Layout.V2);
            Files.deleteIfExists(work);
        }
    }
}
