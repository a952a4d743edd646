package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.berth.http.AccessLog;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StderrAppenderTest {

    private final LoggerContext context = new LoggerContext();
    private final Target written = new Target();
    private final StderrAppender appender = new StderrAppender(written);

    @BeforeEach
    void start() {
        context.setMDCAdapter(new LogbackMDCAdapter());
        appender.setContext(context);
        appender.setEncoder(Logging.textEncoder(context, Map.of()));
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
    }

    @AfterEach
    void stop() {
        appender.stop();
    }

    private String text() {
        return written.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesOtherLinesAtOnceWithTheAccessLinesBeforeThem() {
        context.getLogger(AccessLog.LOGGER).info("GET /v2/ 200");
        context.getLogger("dev.berth.cli.Serving").warn("disk nearly full");

        assertThat(text().lines().toList()).hasSize(2);
        assertThat(text()).containsSubsequence("access GET /v2/ 200", "Serving disk nearly full");
    }

    @Test
    void writesAccessLinesWithinTheFlushInterval() throws InterruptedException {
        context.getLogger(AccessLog.LOGGER).info("HEAD /v2/app/manifests/v1 200");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!text().contains("HEAD /v2/app/manifests/v1 200") && System.nanoTime() < deadline) {
            Thread.sleep(StderrAppender.FLUSH_INTERVAL);
        }
        assertThat(text()).contains("access HEAD /v2/app/manifests/v1 200");
    }

    @Test
    void stoppingWritesWhatIsBufferedAndLeavesTheTargetOpen() {
        context.getLogger(AccessLog.LOGGER).info("PUT /v2/app/manifests/v1 201");

        appender.stop();

        assertThat(text()).contains("access PUT /v2/app/manifests/v1 201");
        assertThat(written.closed).isFalse();
    }

    /** Stands for stderr, which must stay open when an appender is replaced. */
    private static final class Target extends ByteArrayOutputStream {

        private volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
}
