package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

class RegistryServerTest {

    @Test
    void handlesEachRequestOnANamedVirtualThread() throws Exception {
        Handler threadName = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Thread thread = Thread.currentThread();
                Content.Sink.write(response, true, thread.isVirtual() + " " + thread.getName(), callback);
                return true;
            }
        };
        try (RegistryServer server = new RegistryServer(new InetSocketAddress("127.0.0.1", 0), threadName);
             HttpClient client = HttpClient.newHttpClient()) {
            server.start();
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/v2/")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(answer.body()).matches("true berth-\\d+");
        }
    }
}
