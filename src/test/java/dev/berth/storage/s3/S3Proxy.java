package dev.berth.storage.s3;

import dev.berth.TestFiles;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy, an S3-compatible service that keeps objects in a directory, run on loopback for the tests of
 * everything that stores in S3: one process for the whole test run, started at first use and stopped when the JVM
 * exits, when its directory (the buckets) is deleted too. Its jar is the one Maven copies to {@code target/s3proxy} ({@code -Ds3proxy.jar}); without it the tests
 * fail rather than pass untested.
 */
public final class S3Proxy {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";
    public static final String REGION = "us-east-1";

    private static S3Proxy running;

    private final Process process;
    private final Path directory;
    private final URI endpoint;
    private final S3Connection connection;

    private S3Proxy(Process process, Path directory, URI endpoint) {
        this.process = process;
        this.directory = directory;
        this.endpoint = endpoint;
        this.connection = S3Connection.to(S3Address.of(REGION, endpoint), Optional.empty(), ACCESS_KEY, SECRET_KEY,
                false);
    }

    public static synchronized S3Proxy get() throws Exception {
        if (running == null) {
            running = start();
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop));
        }
        return running;
    }

    private static S3Proxy start() throws Exception {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy is not at " + jar + ": run the tests through Maven (mvn verify), "
                    + "which downloads it");
        }
        Path directory = Files.createTempDirectory("berth-s3proxy-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Path properties = Files.writeString(directory.resolve("s3proxy.conf"), String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + Files.createDirectory(directory.resolve("data")), ""));
        Path log = directory.resolve("s3proxy.log");
        Process process = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: " + Files.readString(log));
            }
            try {
                // an unsigned request: refused with 403 once it listens
                http.send(HttpRequest.newBuilder(endpoint).build(), HttpResponse.BodyHandlers.discarding());
                return new S3Proxy(process, directory, endpoint);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroy();
        throw new IllegalStateException("S3Proxy did not start: " + Files.readString(log));
    }

    private void stop() {
        process.destroy();
        try {
            if (process.waitFor(30, TimeUnit.SECONDS)) {
                TestFiles.deleteTree(directory);
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("S3Proxy's directory " + directory + " is left behind: " + e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public S3Connection connection() {
        return connection;
    }

    public S3Client client() {
        return connection.client();
    }

    /** A new, empty bucket. */
    public String bucket(String name) {
        client().createBucket(b -> b.bucket(name));
        return name;
    }
}
