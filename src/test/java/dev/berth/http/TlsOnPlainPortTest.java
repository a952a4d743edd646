package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** A client speaking TLS to the plain-HTTP port: one clear log line, and HTTP goes on as before. */
class TlsOnPlainPortTest {

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withDefaults();

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    private static Logger logger() {
        return (Logger) LoggerFactory.getLogger(TlsOnPlainPort.class);
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger().addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger().detachAppender(logs);
    }

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

        assertThat(logs.list).singleElement().satisfies(event -> {
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
        assertThat(logs.list).hasSize(1);
    }
}
