package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.berth.config.ConfigLoader;
import dev.berth.config.S3Settings;
import dev.berth.storage.s3.SdkLogging;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Through {@link S3Loading}, as a server opens the driver: its class loader decides what the wiring may reach. */
class S3WiringTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void resetLevels() {
        Arrays.stream(SdkLogging.values()).flatMap(kind -> kind.loggers().stream())
                .forEach(name -> context.getLogger(name).setLevel(null));
    }

    private static S3Settings withLogLevel(String level) {
        return new ConfigLoader(Path.of("data")).load(Optional.empty(), Map.of("REGISTRY_STORAGE", "s3",
                "REGISTRY_STORAGE_S3_REGION", "us-east-1", "REGISTRY_STORAGE_S3_BUCKET", "images",
                "REGISTRY_STORAGE_S3_REGIONENDPOINT", "http://127.0.0.1:9", "REGISTRY_STORAGE_S3_LOGLEVEL", level))
                .config().s3().orElseThrow();
    }

    private Level levelOf(SdkLogging kind) {
        return context.getLogger(kind.loggers().getFirst()).getLevel();
    }

    @Test
    void aLogLevelOfDistributionsTurnsOnTheSdksLinesItNames() {
        S3Loading.open(withLogLevel("debugwithhttpbody"));
        assertThat(levelOf(SdkLogging.REQUESTS)).isEqualTo(Level.DEBUG);
        assertThat(SdkLogging.WIRE.loggers()).allSatisfy(name -> assertThat(context.getLogger(name).getLevel())
                .isEqualTo(Level.DEBUG));
        assertThat(levelOf(SdkLogging.SIGNING)).isNull();
        assertThat(levelOf(SdkLogging.RETRIES)).isNull();
    }

    @Test
    void offLeavesTheSdkToTheRootsLevel() {
        S3Loading.open(withLogLevel("off"));
        assertThat(SdkLogging.values()).allSatisfy(kind -> assertThat(levelOf(kind)).isNull());
    }

    @Test
    void everyLevelShowsTheRequestsAndEachDetailOnlyItsOwn() {
        assertThat(S3Wiring.logged(S3Settings.LogLevel.DEBUG)).containsExactly(SdkLogging.REQUESTS);
        assertThat(S3Wiring.logged(S3Settings.LogLevel.DEBUG_WITH_SIGNING))
                .containsExactlyInAnyOrder(SdkLogging.REQUESTS, SdkLogging.SIGNING);
        assertThat(S3Wiring.logged(S3Settings.LogLevel.DEBUG_WITH_REQUEST_RETRIES))
                .containsExactlyInAnyOrder(SdkLogging.REQUESTS, SdkLogging.RETRIES);
        assertThat(S3Wiring.logged(S3Settings.LogLevel.DEBUG_WITH_REQUEST_ERRORS)).containsExactly(SdkLogging.REQUESTS);
        assertThat(S3Wiring.logged(S3Settings.LogLevel.DEBUG_WITH_EVENT_STREAM_BODY))
                .containsExactly(SdkLogging.REQUESTS);
    }
}
