package dev.berth.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.berth.bench.TlsClient;
import dev.berth.http.StandInObjectStore;
import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath;
import dev.berth.storage.layout.StoragePath.BlobData;
import dev.berth.storage.layout.StoragePath.LayerLink;
import dev.berth.tls.SelfManagedTls;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code berth aot-training [filesystem|s3|tls]} (hidden): starts a throw-away registry on loopback as
 * {@code berth serve} starts one, has it answer a few requests, and stops it. Run under
 * {@code -XX:AOTCacheOutput=FILE}, the JVM then writes an ahead-of-time cache of the classes (linked, with their
 * profiles) that those used, which makes later starts of {@code berth serve -XX:AOTCache=FILE} several times faster.
 * The {@code berth} launcher does this once per built jar and kind of registry.
 *
 * <p>On a filesystem, the registry answers one {@code GET /v2/}: JDK 25 loads every class its cache holds at each
 * start, so the classes of pushes and pulls in it would be resident in every server, idle or not (8 MiB when the
 * training ran the benchmark; docs/performance-changes.md, change 43). A server loads them from the jars when it first
 * serves one.
 *
 * <p>With {@code s3}, run with the AWS SDK's jars on the class path (the launcher puts them there for a configuration
 * that names S3), the registry stores on a {@link StandInObjectStore} holding one blob, and after the {@code GET /v2/}
 * pulls that blob {@value #PULLS} times, with redirects off so that it reads and sends the body itself. Building the
 * SDK's client is most of such a start; the pulls add the classes and profiles of the SDK's requests, which a
 * redirected pull makes too, and of sending what they read. Without them a fresh S3 registry took 0.57 s over its
 * first pull and trailed distribution over the next ones while the JIT compiled that path; they cost 6 MiB of idle
 * memory (docs/performance-changes.md, change 74).
 *
 * <p>With {@code tls}, the registry is on a filesystem behind a TLS port, with a certificate from a throw-away
 * {@link SelfManagedTls} CA in the files {@code http.tls} names, and answers the {@code GET /v2/} and the pulls, of a
 * blob stored in its directory, over TLS: the JDK's TLS and the reading of PEM files are most of such a start, and a
 * plain start would load them too were they in the filesystem cache. Berth's self-managed mode makes its CA with the
 * same code. With the pulls in the training a fresh TLS server's first 64 MiB pull went about 40 % faster, at no cost
 * in idle memory (docs/performance-changes.md, change 82), and as fast without the replay of their profiles
 * (change 83): what counts is the classes of the path in the cache. The requests offer no HTTP/2 (ALPN): the
 * training would need an HTTP/2 client, whose classes every TLS start would then load.
 */
@Command(name = "aot-training", hidden = true, description = "Start the server once, for an AOT cache.")
final class AotTrainingCommand implements Callable<Integer> {

    private static final String ADDRESS = "127.0.0.1";
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final String BUCKET = "aot-training";
    private static final RepositoryName REPOSITORY = RepositoryName.parse("aot-training");
    private static final int BLOB_SIZE = 8 << 20;
    private static final int PULLS = 8;

    /** The kinds of cache: for a registry on a filesystem, on S3, or on a filesystem behind a TLS port. */
    enum Kind { filesystem, s3, tls }

    @Parameters(arity = "0..1", defaultValue = "filesystem",
            description = "The kind of registry to train: ${COMPLETION-CANDIDATES} (a filesystem one over TLS).")
    Kind kind;

    /** {@code aot-training [filesystem|s3|tls]}, read without picocli ({@link Main} says why); empty otherwise. */
    static Optional<AotTrainingCommand> plain(String[] args) {
        if (args.length == 0 || args.length > 2 || !args[0].equals("aot-training")) {
            return Optional.empty();
        }
        for (Kind named : Kind.values()) {
            if (named.name().equals(args.length == 2 ? args[1] : Kind.filesystem.name())) {
                AotTrainingCommand training = new AotTrainingCommand();
                training.kind = named;
                return Optional.of(training);
            }
        }
        return Optional.empty();
    }

    @Override
    public Integer call() throws Exception {
        if (kind == Kind.filesystem) {
            return train(Optional.empty(), Map.of(), Optional.empty());
        }
        byte[] blob = new byte[BLOB_SIZE];
        new Random(BLOB_SIZE).nextBytes(blob);
        Digest digest = Digest.sha256(blob);
        Map<String, byte[]> stored = Map.of(
                objectName(new BlobData(digest)), blob,
                objectName(new LayerLink(REPOSITORY, digest)), digest.toString().getBytes(US_ASCII));
        if (kind == Kind.tls) {
            return train(Optional.empty(), stored, Optional.of(digest));
        }
        // the stand-in is on loopback, where no proxy can reach it: the SDK would take one from HTTP_PROXY, but
        // takes none from the environment once a proxy system property is set
        System.setProperty("http.nonProxyHosts", ADDRESS);
        try (StandInObjectStore s3 = new StandInObjectStore(BUCKET, stored)) {
            return train(s3Storage(s3.endpoint()), Map.of(), Optional.of(digest));
        }
    }

    /**
     * Serves from a registry on {@code s3Storage}, or on a filesystem holding {@code files} (by their paths under its
     * root) when empty, over TLS for {@link Kind#tls}, until it has answered {@code GET /v2/} and pulled {@code blob},
     * when given, {@value #PULLS} times.
     */
    private int train(Optional<String> s3Storage, Map<String, byte[]> files, Optional<Digest> blob) throws Exception {
        Path work = newWorkDirectory();
        Path data = work.resolve("data");
        Optional<SelfManagedTls> tls = kind == Kind.tls
                ? Optional.of(SelfManagedTls.prepare(work.resolve("tls"), List.of(ADDRESS), Instant.now()))
                : Optional.empty();
        // read from a file as serve reads one; the access log stays on (its own switch), so that its line for the
        // answer is formatted as when serving
        Path config = Files.writeString(work.resolve("config.yml"), String.join("\n",
                "version: 0.1",
                "log:",
                "  level: error",
                "storage:",
                s3Storage.orElseGet(() -> String.join("\n",
                        "  filesystem:",
                        "    rootdirectory: " + quoted(data))),
                "  delete: {enabled: true}",
                "http:",
                "  addr: " + ADDRESS + ":0",
                tls.map(issued -> String.join("\n",
                        "  tls:",
                        "    certificate: " + quoted(issued.certificateFile()),
                        "    key: " + quoted(issued.keyFile()))).orElse(""),
                ""));
        for (Map.Entry<String, byte[]> stored : files.entrySet()) {
            Path file = data.resolve(stored.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, stored.getValue());
        }
        Optional<Serving> serving = Optional.empty();
        try {
            serving = ServeCommand.start(Optional.of(config), Map.of());
            if (serving.isEmpty()) {
                return 1;
            }
            int port = serving.get().server().port();
            Optional<TlsClient> client = tls.isEmpty() ? Optional.empty()
                    : Optional.of(TlsClient.trusting(tls.get().authorityFile()));
            if (!answered(client, port, "/v2/", "{}".length())) {
                return 1;
            }
            for (int pull = 0; pull < PULLS && blob.isPresent(); pull++) {
                if (!answered(client, port, "/v2/" + REPOSITORY + "/blobs/" + blob.get(), BLOB_SIZE)) {
                    return 1;
                }
            }
            return 0;
        } finally {
            serving.ifPresent(Serving::stop);
            deleteTree(work.toFile());
        }
    }

    /**
     * A new directory of its own under the system's temporary one. Not {@code Files.createTempDirectory}, whose
     * {@code SecureRandom} would put the JDK's security providers in the cache, and so in every start (JDK 25 loads all
     * the cache holds): a name that exists already, whoever made it, is passed over, never reused.
     */
    private static Path newWorkDirectory() throws IOException {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        Random names = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                return Files.createDirectory(temporary.resolve(
                        "berth-aot-training-" + Long.toUnsignedString(names.nextLong(), 36)));
            } catch (FileAlreadyExistsException taken) {
                // another's, or anything planted there: try another name
            }
        }
        throw new IOException("no new directory could be made in " + temporary);
    }

    /** Deletes a directory and all it holds, with {@link File}'s listing: {@code Files.walk}'s classes would be cached. */
    private static void deleteTree(File tree) throws IOException {
        File[] children = tree.listFiles();
        for (File child : children == null ? new File[0] : children) {
            deleteTree(child);
        }
        if (!tree.delete() && tree.exists()) {
            throw new IOException("could not delete " + tree);
        }
    }

    private static Optional<String> s3Storage(URI endpoint) {
        return Optional.of(String.join("\n",
                "  s3:",
                "    region: us-east-1",
                "    regionendpoint: '" + endpoint + "'",
                "    bucket: " + BUCKET,
                "    accesskey: aot-training",
                "    secretkey: aot-training",
                "  redirect: {disable: true}"));
    }

    /**
     * The stand-in's name for what the driver stores at {@code path}: its key without the leading slash, which is
     * also its path under a filesystem's root.
     */
    private static String objectName(StoragePath path) {
        return Layout.key(path).substring(1);
    }

    /** {@code path} as a single-quoted YAML scalar. */
    private static String quoted(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }

    /**
     * Whether {@code GET path}, over TLS when {@code tls} is given, was answered 200 with a body of {@code size}
     * bytes; says why not on stderr.
     */
    private static boolean answered(Optional<TlsClient> tls, int port, String path, long size)
            throws IOException {
        Answer answer = get(tls, port, path);
        if (answer.status().startsWith("HTTP/1.1 200 ") && answer.bodySize() == size) {
            return true;
        }
        System.err.println("berth aot-training: GET " + path + " answered '" + answer.status() + "' with "
                + answer.bodySize() + " bytes");
        return false;
    }

    private record Answer(String status, long bodySize) {}

    /**
     * {@code GET path} over a connection closed after it, asked through a socket channel, whose classes the server has
     * loaded already (an HTTP client's would be in the cache too), or through {@code tls} when given.
     */
    private static Answer get(Optional<TlsClient> tls, int port, String path) throws IOException {
        InetSocketAddress address = new InetSocketAddress(ADDRESS, port);
        try (Socket socket = tls.isEmpty() ? SocketChannel.open(address).socket() : tls.get().connect(address)) {
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            // the Host with its port, as clients send it: Jetty joins the two in a string concatenation whose linking
            // the cache then keeps, and a server's first answer no longer does (change 92)
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + ADDRESS + ":" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(US_ASCII));
            InputStream answer = socket.getInputStream();
            String status = line(answer);
            while (!line(answer).isEmpty()) {
                // the headers: the body's end is the connection's
            }
            return new Answer(status, answer.transferTo(OutputStream.nullOutputStream()));
        }
    }

    /** The next line of a response's head without its end, empty at the end of the stream. */
    private static String line(InputStream answer) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = answer.read(); c >= 0 && c != '\n'; c = answer.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
