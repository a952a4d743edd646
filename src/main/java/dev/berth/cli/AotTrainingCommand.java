package dev.berth.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code berth aot-training} (hidden): serves a throw-away registry on loopback, started as {@code berth serve}
 * starts one, and runs a short benchmark against it from another JVM ({@code berth bench}), then exits. Run
 * under {@code -XX:AOTCacheOutput=FILE}, the JVM then writes an ahead-of-time cache of the classes (and their
 * linking and profiles) that serving used, which makes later starts of {@code berth serve -XX:AOTCache=FILE}
 * several times faster. The client runs apart because JDK 25 loads every class its cache holds at each start:
 * the benchmark's classes in it cost every server about 2 MiB of memory. The {@code berth} launcher does this once
 * per built jar.
 */
@Command(name = "aot-training", hidden = true, description = "Exercise the server once, for an AOT cache.")
final class AotTrainingCommand implements Callable<Integer> {

    private static final Duration CLIENT_TIMEOUT = Duration.ofMinutes(5);

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
            Path clientLog = work.resolve("client.log");
            Process client = new ProcessBuilder(client(serving.get().server().port()))
                    .redirectErrorStream(true)
                    .redirectOutput(clientLog.toFile())
                    .start();
            if (!client.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                client.destroyForcibly().waitFor();
                System.err.println("berth aot-training: the benchmark client did not finish in " + CLIENT_TIMEOUT);
                return 1;
            }
            if (client.exitValue() != 0) {
                System.err.println("berth aot-training: the benchmark client failed (exit " + client.exitValue()
                        + "):");
                System.err.print(Files.readString(clientLog));
                return 1;
            }
            return 0;
        } finally {
            serving.ifPresent(Serving::stop);
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /**
     * {@code berth bench} on this JVM's runtime and class path, with every workload small: what matters is that
     * each request path runs, the large uploads' written-behind path included (a blob over 4 MiB).
     */
    private static List<String> client(int port) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench",
                "http://127.0.0.1:" + port, "--blob-size", "8", "--chunk-size", "2", "--duration", "0.5",
                "--warmup", "0", "--connections", "4", "--tags", "10", "--images", "4", "--layers", "3",
                "--layer-size", "64", "--workers", "2");
    }
}
