package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.berth.tls.SelfManagedTls;
import dev.berth.tls.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Certificates re-read when their files change, checked every 50 ms here. */
class CertificateReloadTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @RegisterExtension
    final HttpsRegistry registry = new HttpsRegistry();

    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.of(CertificateReloader.class);

    /** Polls until {@code condition} holds, for at most {@link #PATIENCE}. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for %s", what).isNegative();
            Thread.sleep(20);
        }
    }

    private static boolean answers(HttpsRegistry.Client client) {
        try {
            return client.get("/v2/").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void newConnectionsGetTheCertificateWrittenOverTheOldOne() throws Exception {
        registry.start(registry.defaults());
        assertThat(answers(registry.client())).isTrue();
        SelfManagedTls replacement = SelfManagedTls.prepare(registry.directory().resolve("replacement"),
                List.of("127.0.0.1"), Instant.now());

        Files.copy(replacement.keyFile(), registry.files().keyFile(), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(replacement.certificateFile(), registry.files().certificateFile(),
                StandardCopyOption.REPLACE_EXISTING);

        await("the new certificate", () -> answers(registry.client(replacement.authority())));
        assertThatThrownBy(() -> registry.client().get("/v2/")).isInstanceOf(IOException.class);
        assertThat(logs.events()).anySatisfy(event -> assertThat(event.getFormattedMessage())
                .startsWith("TLS certificate reloaded from " + registry.files().certificateFile()));
    }

    @Test
    void keepsTheCertificateInUseWhenTheNewFilesDoNotLoad() throws Exception {
        registry.start(registry.defaults());

        // written whole (and renamed into place), so that the reloader sees only the mismatched key
        Path foreignKey = Files.writeString(registry.directory().resolve("foreign.key"),
                TestCertificates.pkcs8Pem(TestCertificates.ec().getPrivate()));
        Files.move(foreignKey, registry.files().keyFile(), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);

        await("a warning", () -> logs.events().stream().anyMatch(event -> event.getLevel() == Level.WARN));
        assertThat(logs.events()).singleElement().satisfies(event -> assertThat(event.getFormattedMessage())
                .contains("cannot be used, so the previous certificate stays in use")
                .contains("does not belong to the certificate"));
        assertThat(answers(registry.client())).isTrue();
    }
}
