package dev.berth.cli;

import dev.berth.bench.Benchmark;
import dev.berth.bench.Options;
import dev.berth.bench.Result;
import dev.berth.bench.Workload;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code berth aot-training} (hidden): serves a throw-away registry on loopback, started as {@code berth serve}
 * starts one, and runs a short benchmark against it in the same JVM, then exits. Run under
 * {@code -XX:AOTCacheOutput=FILE}, the JVM then writes an ahead-of-time cache of the classes (and their linking
 * and profiles) that serving used, which makes later starts of {@code berth serve -XX:AOTCache=FILE} several
 * times faster. The {@code berth} launcher does this once per built jar.
 */
@Command(name = "aot-training", hidden = true, description = "Exercise the server once, for an AOT cache.")
final class AotTrainingCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("berth-aot-training");
        // read from a file as serve reads one; the access log stays on (its own switch), so that its lines are
        // formatted as when serving
        Path config = Files.writeString(work.resolve("config.yml"), String.join("\n",
                "version: 0.1",
                "log:",
                "  level: error",
                "storage:",
                "  filesystem:",
                "    rootdirectory: '" + work.resolve("data").toString().replace("'", "''") + "'",
                "  delete: {enabled: true}",
                "http:",
                "  addr: 127.0.0.1:0",
                ""));
        Optional<Serving> serving = Optional.empty();
        try {
            serving = ServeCommand.start(Optional.of(config), Map.of());
            if (serving.isEmpty()) {
                return 1;
            }
            Options options = new Options(new InetSocketAddress("127.0.0.1", serving.get().server().port()), "",
                    List.of(Workload.values()), 8L << 20, 2 << 20, Duration.ofMillis(500), Duration.ZERO, 4, 10,
                    4, 3, 64 << 10, 2);
            List<Result> results = new Benchmark(options, new PrintStream(OutputStream.nullOutputStream())).run();
            return results.stream().allMatch(Result::passed) ? 0 : 1;
        } finally {
            serving.ifPresent(Serving::stop);
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
