package dev.berth.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code berth aot-training [filesystem|s3]} (hidden): starts a throw-away registry on loopback as {@code berth serve}
 * starts one, has it answer one {@code GET /v2/}, and stops it. Run under {@code -XX:AOTCacheOutput=FILE}, the JVM
 * then writes an ahead-of-time cache of the classes (linked, with their profiles) that a start and a first answer use,
 * which makes later starts of {@code berth serve -XX:AOTCache=FILE} several times faster. Only those: JDK 25 loads
 * every class its cache holds at each start, so the classes of pushes and pulls in it would be resident in every
 * server, idle or not (8 MiB when the training ran the benchmark; docs/performance.md, change 43). A server loads them
 * from the jars when it first serves one. The {@code berth} launcher does this once per built jar.
 *
 * <p>With {@code s3}, run with the AWS SDK's jars on the class path (the launcher puts them there for a configuration
 * that names S3), the registry stores on an S3 endpoint where nothing listens: building the SDK's client is most of
 * such a start, and neither it nor {@code GET /v2/} calls S3. The classes of a first request to S3 stay out, as a
 * first push's do: a cache trained with a blob's HEAD too answered the first one 0.3 s sooner, at 9 MiB more of idle
 * memory (docs/performance.md, change 52).
 */
@Command(name = "aot-training", hidden = true, description = "Start the server once, for an AOT cache.")
final class AotTrainingCommand implements Callable<Integer> {

    private static final String ADDRESS = "127.0.0.1";
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    // loopback's discard port, where nothing listens
    private static final String S3_STORAGE = String.join("\n",
            "  s3:",
            "    region: us-east-1",
            "    regionendpoint: 'http://127.0.0.1:9'",
            "    bucket: aot-training",
            "    accesskey: aot-training",
            "    secretkey: aot-training");

    enum Storage { filesystem, s3 }

    @Parameters(arity = "0..1", defaultValue = "filesystem",
            description = "The storage to train with: ${COMPLETION-CANDIDATES}.")
    Storage storage;

    /** {@code aot-training [filesystem|s3]}, read without picocli ({@link Main} says why); empty for anything else. */
    static Optional<AotTrainingCommand> plain(String[] args) {
        if (args.length == 0 || args.length > 2 || !args[0].equals("aot-training")) {
            return Optional.empty();
        }
        for (Storage named : Storage.values()) {
            if (named.name().equals(args.length == 2 ? args[1] : Storage.filesystem.name())) {
                AotTrainingCommand training = new AotTrainingCommand();
                training.storage = named;
                return Optional.of(training);
            }
        }
        return Optional.empty();
    }

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("berth-aot-training");
        // read from a file as serve reads one; the access log stays on (its own switch), so that its line for the
        // answer is formatted as when serving
        Path config = Files.writeString(work.resolve("config.yml"), String.join("\n",
                "version: 0.1",
                "log:",
                "  level: error",
                "storage:",
                storage == Storage.s3 ? S3_STORAGE : String.join("\n",
                        "  filesystem:",
                        "    rootdirectory: '" + work.resolve("data").toString().replace("'", "''") + "'"),
                "  delete: {enabled: true}",
                "http:",
                "  addr: " + ADDRESS + ":0",
                ""));
        Optional<Serving> serving = Optional.empty();
        try {
            serving = ServeCommand.start(Optional.of(config), Map.of());
            if (serving.isEmpty()) {
                return 1;
            }
            String status = statusLine(serving.get().server().port());
            if (!status.startsWith("HTTP/1.1 200 ")) {
                System.err.println("berth aot-training: GET /v2/ answered '" + status + "'");
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
     * The status line of {@code GET /v2/}, asked through a socket channel, whose classes the server has loaded
     * already: an HTTP client's would be in the cache too.
     */
    private static String statusLine(int port) throws IOException {
        try (Socket socket = SocketChannel.open(new InetSocketAddress(ADDRESS, port)).socket()) {
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            socket.getOutputStream().write(("GET /v2/ HTTP/1.1\r\nHost: " + ADDRESS + "\r\nConnection: close\r\n\r\n")
                    .getBytes(US_ASCII));
            InputStream answer = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = answer.read(); c >= 0 && c != '\r' && c != '\n'; c = answer.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
