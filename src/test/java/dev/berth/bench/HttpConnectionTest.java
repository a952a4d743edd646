package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The client's HTTP/1.1 framing, against a scripted server. */
class HttpConnectionTest {

    private static final String PAUSE = "\0";

    /** Answers each connection's first request with {@code answer}, then closes it. */
    private static ServerSocket serve(String answer) throws Exception {
        return serve(Duration.ZERO, answer);
    }

    /**
     * Answers a connection's requests with {@code answers} in turn, then waits {@code hang} (a server that stops
     * answering) and closes it. At each {@code PAUSE} in an answer it flushes and waits, so the client reads the
     * answer in pieces.
     */
    private static ServerSocket serve(Duration hang, String... answers) throws Exception {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    for (String answer : answers) {
                        int matched = 0;
                        while (matched < 4) {
                            int c = in.read();
                            if (c < 0) {
                                break;
                            }
                            matched = (c == '\r' || c == '\n') ? matched + 1 : 0;
                        }
                        for (String piece : answer.split(PAUSE, -1)) {
                            out.write(piece.getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                            Thread.sleep(answer.contains(PAUSE) ? 20 : 0);
                        }
                    }
                    Thread.sleep(hang);
                } catch (Exception e) {
                    return;
                }
            }
        });
        return server;
    }

    private static InetSocketAddress address(ServerSocket server) {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    @Test
    void readsChunkedBodies() throws Exception {
        try (ServerSocket server = serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
                + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n");
             HttpConnection connection = new HttpConnection(address(server), Optional.empty())) {
            Response response = connection.exchange(Request.of("GET", "/v2/"));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("hello, world");
            assertThat(response.header("x-a")).contains("1");
        }
    }

    @Test
    void readsAHeadThatArrivesInPieces() throws Exception {
        try (ServerSocket server = serve("HTTP/1.1 201 Created\r" + PAUSE + "\nLocation: /v2/a/blobs/sha256:x\r\n"
                + "Docker-Content-Digest: sha256:x\r\nContent-Length: 2\r\n\r" + PAUSE + "\n" + PAUSE + "{}");
             HttpConnection connection = new HttpConnection(address(server), Optional.empty())) {
            Response response = connection.exchange(Request.of("PUT", "/v2/a/blobs/uploads/1"));
            assertThat(response.status()).isEqualTo(201);
            assertThat(response.header("Location")).contains("/v2/a/blobs/sha256:x");
            assertThat(response.header("docker-content-digest")).contains("sha256:x");
            assertThat(response.text()).isEqualTo("{}");
        }
    }

    @Test
    void aHeadLongerThan64KiBIsAnIoFailure() throws Exception {
        try (ServerSocket server = serve("HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(64 * 1024) + "\r\n\r\n");
             HttpConnection connection = new HttpConnection(address(server), Optional.empty())) {
            assertThatThrownBy(() -> connection.exchange(Request.of("GET", "/a")))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("response head longer than");
        }
    }

    @Test
    void readsLengthDelimitedBodiesIntoACallersBuffer() throws Exception {
        try (ServerSocket server = serve("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
             HttpConnection connection = new HttpConnection(address(server), Optional.empty())) {
            ByteBuffer into = ByteBuffer.allocate(16).position(2);
            Response response = connection.exchange(Request.of("GET", "/blob").into(into));
            assertThat(response.received()).isEqualTo(10);
            assertThat(into.position()).isEqualTo(12);
            assertThat(new String(into.array(), 2, 10, StandardCharsets.US_ASCII)).isEqualTo("0123456789");
        }
    }

    @Test
    void headAnswersHaveNoBodyWhateverTheirLength() throws Exception {
        try (ServerSocket server = serve("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n"
                + "Docker-Content-Digest: sha256:x\r\n\r\n");
             HttpConnection connection = new HttpConnection(address(server), Optional.empty())) {
            Response response = connection.exchange(Request.of("HEAD", "/m"));
            assertThat(response.body()).isEmpty();
            assertThat(response.header("Docker-Content-Digest")).contains("sha256:x");
        }
    }

    @Test
    void aConnectionTheServerClosesIsReopenedForTheNextRequest() throws Exception {
        try (ServerSocket server = serve("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
             HttpConnection connection = new HttpConnection(address(server), Optional.empty())) {
            assertThat(connection.exchange(Request.of("GET", "/a")).status()).isEqualTo(404);
            assertThat(connection.exchange(Request.of("GET", "/b")).status()).isEqualTo(404);
        }
    }

    @Test
    void anAnswerCutOffOnAKeptConnectionFailsRatherThanBeingAskedAgain() throws Exception {
        try (ServerSocket server = serve(Duration.ZERO, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234");
             HttpConnection connection = new HttpConnection(address(server), Optional.empty())) {
            assertThat(connection.exchange(Request.of("GET", "/a")).status()).isEqualTo(200);
            assertThatThrownBy(() -> connection.exchange(Request.of("GET", "/b")))
                    .isInstanceOf(java.io.EOFException.class);
        }
    }

    @Test
    void aRegistryThatStopsAnsweringFailsTheRequest() throws Exception {
        try (ServerSocket server = serve(Duration.ofSeconds(30), "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01");
             HttpConnection connection = new HttpConnection(address(server), Optional.empty(), Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> connection.exchange(Request.of("GET", "/slow")))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("no byte moved for 1 s: the registry stopped answering GET /slow");
        }
    }

    @Test
    void readsChunkedBodiesIntoACallersBuffer() throws Exception {
        try (ServerSocket server = serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
             HttpConnection connection = new HttpConnection(address(server), Optional.empty())) {
            ByteBuffer into = ByteBuffer.allocate(12);
            Response response = connection.exchange(Request.of("GET", "/blob").into(into));
            assertThat(response.received()).isEqualTo(12);
            assertThat(new String(into.array(), StandardCharsets.US_ASCII)).isEqualTo("hello, world");
        }
    }

    @Test
    void aMalformedLengthIsAnIoFailure() throws Exception {
        try (ServerSocket server = serve("HTTP/1.1 200 OK\r\nContent-Length: 0x\r\n\r\n");
             HttpConnection connection = new HttpConnection(address(server), Optional.empty())) {
            assertThatThrownBy(() -> connection.exchange(Request.of("GET", "/a")))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("not a valid Content-Length: 0x");
        }
    }
}
