package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client speaking TLS to the plain-HTTP port: one clear log line, and HTTP goes on as before. */
class TlsOnPlainPortTest {

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withDefaults();

    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.of(TlsOnPlainPort.class);

    private void httpsRequest() {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build()) {
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(
                            URI.create("https://127.0.0.1:" + registry.port() + "/v2/")).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.discarding())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void saysSoOnceWhenATlsHandshakeArrives() {
        httpsRequest();
        httpsRequest();

        assertThat(logs.events()).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage())
                    .startsWith("a TLS handshake from 127.0.0.1:")
                    .contains("arrived at 127.0.0.1:" + registry.port() + ", a plain-HTTP port")
                    .contains("http.tls").contains("insecure-registries");
        });
    }

    @Test
    void plainHttpIsServedAsBefore() {
        httpsRequest();

        assertThat(registry.get("/v2/").statusCode()).isEqualTo(200);
        assertThat(registry.get("/v2/").statusCode()).isEqualTo(200);
        assertThat(logs.events()).hasSize(1);
    }
}
