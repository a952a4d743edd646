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

/**
 * {@code berth aot-training} (hidden): starts a throw-away registry on loopback as {@code berth serve} starts one,
 * has it answer one {@code GET /v2/}, and stops it. Run under {@code -XX:AOTCacheOutput=FILE}, the JVM then writes
 * an ahead-of-time cache of the classes (linked, with their profiles) that a start and a first answer use, which
 * makes later starts of {@code berth serve -XX:AOTCache=FILE} several times faster. Only those: JDK 25 loads every
 * class its cache holds at each start, so the classes of pushes and pulls in it would be resident in every server,
 * idle or not (8 MiB when the training ran the benchmark; docs/performance.md, change 43). A server loads them from
 * the jars when it first serves one. The {@code berth} launcher does this once per built jar.
 */
@Command(name = "aot-training", hidden = true, description = "Start the server once, for an AOT cache.")
final class AotTrainingCommand implements Callable<Integer> {

    private static final String ADDRESS = "127.0.0.1";
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

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
                "  filesystem:",
                "    rootdirectory: '" + work.resolve("data").toString().replace("'", "''") + "'",
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
