package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * A stop closes keep-alive connections once their requests are done, however the two interleave; a crowd of idle
 * connections near the limit is closed sooner, so that other clients get in.
 */
class DrainingConnectorTest {

    private static final byte[] REQUEST = "GET /v2/ HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * The client has its whole answer, so it may go on (and a test may stop the server) before the server has
     * finished the request: the connection must still close within the stop, not hold it up to the drain timeout.
     */
    @Test
    void aRequestThatFinishesAfterTheStopBeganLetsItsConnectionClose() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Handler lingering = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 2);
                response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), Callback.from(() -> {
                    answered.countDown();
                    Thread.ofVirtual().start(() -> {
                        awaitQuietly(finish);
                        callback.succeeded();
                    });
                }, callback::failed));
                return true;
            }
        };
        RegistryServer server = new RegistryServer(new InetSocketAddress("127.0.0.1", 0), lingering);
        server.start();
        int port = server.port(); // a stopped connector no longer tells its port
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.getOutputStream().write(REQUEST);
            String head = readAnswer(client.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("Connection: close");
            assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
                try {
                    server.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitRefused(port);
            finish.countDown();

            // the stop ends without waiting out the drain timeout (it throws when it does), having closed the
            // connection
            stop.get(30, TimeUnit.SECONDS);
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        } finally {
            finish.countDown();
            server.close();
        }
    }

    @Test
    void idleConnectionsNearTheLimitCloseWithinSecondsSoThatANewClientIsServed() throws Exception {
        try (RegistryServer server = limitedTo(8, echoing())) {
            server.start();
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    idle.add(new Socket("127.0.0.1", server.port()));
                }
                // the ninth waits to be accepted: at Jetty's 30 s idle timeout it would wait that long
                try (Socket late = withTimeout(new Socket("127.0.0.1", server.port()))) {
                    late.getOutputStream().write(REQUEST);
                    assertThat(readAnswer(late.getInputStream())).startsWith("HTTP/1.1 200");
                }
                for (Socket socket : idle) {
                    assertThat(withTimeout(socket).getInputStream().read()).isEqualTo(-1);
                }
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }

            // once fewer are open, idle connections are left the usual timeout again
            try (Socket calm = connectionLeftIdleFor(server.port(), 2_500)) {
                calm.getOutputStream().write(REQUEST);
                assertThat(readAnswer(calm.getInputStream())).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void aRequestInProgressKeepsTheUsualIdleTimeoutWhileIdleConnectionsCrowd() throws Exception {
        try (RegistryServer server = limitedTo(8, echoing())) {
            server.start();
            try (Socket uploading = withTimeout(new Socket("127.0.0.1", server.port()))) {
                OutputStream out = uploading.getOutputStream();
                out.write("PUT /v2/ HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n\r\no".getBytes(
                        StandardCharsets.US_ASCII));
                out.flush();
                List<Socket> idle = new ArrayList<>();
                try {
                    for (int i = 0; i < 7; i++) {
                        idle.add(new Socket("127.0.0.1", server.port()));
                    }
                    assertThat(withTimeout(idle.getFirst()).getInputStream().read()).isEqualTo(-1);
                    Thread.sleep(2_500); // an upload pausing for longer than the crowd's idle timeout

                    out.write('k');
                    assertThat(readAnswer(uploading.getInputStream())).startsWith("HTTP/1.1 200");
                } finally {
                    for (Socket socket : idle) {
                        socket.close();
                    }
                }
            }
        }
    }

    private static RegistryServer limitedTo(int connections, Handler handler) {
        return new RegistryServer(new InetSocketAddress("127.0.0.1", 0), handler, ServerOptions.defaults(),
                Optional.empty(), connections);
    }

    /** Answers "ok" once it has read the request's body. */
    private static Handler echoing() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Content.Source.asInputStream(request).readAllBytes();
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 2);
                response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        };
    }

    private static Socket withTimeout(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        return socket;
    }

    /**
     * A connection the server left open while it was idle for {@code millis}. The server counts a connection it
     * closed only after its client may have seen the close, so one opened just after the crowd left can still get
     * the crowd's second; a few tries find the server calm.
     */
    private static Socket connectionLeftIdleFor(int port, int millis) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(millis);
            try {
                int read = socket.getInputStream().read();
                socket.close(); // closed within the crowd's second
                assertThat(read).as("a byte the server sent unasked").isEqualTo(-1);
            } catch (SocketTimeoutException stillOpen) {
                return withTimeout(socket);
            }
        }
        throw new AssertionError("every idle connection was closed before " + millis + " ms");
    }

    /** Reads a response's head and its two-byte body. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the answer's head").isNotEqualTo(-1);
            head.append((char) b);
        }
        assertThat(in.readNBytes(2)).isEqualTo("ok".getBytes(StandardCharsets.US_ASCII));
        return head.toString();
    }

    /** Waits until the port refuses connections: the stop has begun. */
    private static void awaitRefused(int port) throws InterruptedException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                Thread.sleep(10);
            } catch (IOException refused) {
                return;
            }
        }
        throw new AssertionError("the port still accepts connections");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
