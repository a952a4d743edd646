package dev.berth.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as its own process on a loopback port, as a user runs it, and killed as a crash would. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final Path config;

    private ServerProcess(Process process, int port, Path log, Path config) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.config = config;
    }

    /** Starts {@code berth serve} on {@code root} with the given JVM options and waits until it answers. */
    static ServerProcess start(Path workDir, Path root, String... jvmOptions) throws Exception {
        return start(workDir, root, Map.of(), jvmOptions);
    }

    /** As {@link #start(Path, Path, String...)}, with {@code REGISTRY_*} variables overriding the configuration. */
    static ServerProcess start(Path workDir, Path root, Map<String, String> environment, String... jvmOptions)
            throws Exception {
        return start(workDir, "filesystem: {rootdirectory: " + root + "}", environment, jvmOptions);
    }

    /** As {@link #start(Path, Path, String...)}, with the storage driver's section given, in YAML's flow style. */
    static ServerProcess start(Path workDir, String storageDriver, Map<String, String> environment,
                               String... jvmOptions) throws Exception {
        int port = freePort();
        Path config = Files.writeString(workDir.resolve("config-" + port + ".yml"), """
                version: 0.1
                log: {level: warn}
                storage:
                  %s
                  delete: {enabled: true}
                http: {addr: 127.0.0.1:%d}
                """.formatted(storageDriver, port));
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", jar(), "serve", config.toString()));
        Path log = workDir.resolve("server-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        ServerProcess server = new ServerProcess(process, port, log, config);
        server.awaitReady();
        return server;
    }

    /** A loopback port free right now, for a second listener such as the debug server. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited: " + Files.readString(log));
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri("/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("server did not start: " + Files.readString(log));
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static String jar() {
        return System.getProperty("berth.jar", "target/berth.jar");
    }

    /** The configuration file the server runs with, for commands that work on the same storage. */
    Path config() {
        return config;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, as {@code docker stop} sends it, without waiting. */
    void terminate() {
        process.destroy();
    }

    /** Waits at most {@code limit} for the process to end; true when it has. */
    boolean awaitExit(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for the process to end and returns its exit status. */
    int exitStatus() throws InterruptedException {
        return process.waitFor();
    }

    /** SIGKILL: no shutdown hook, no finally block runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
