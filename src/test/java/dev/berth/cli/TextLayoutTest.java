package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextLayoutTest {

    private final LoggerContext context = new LoggerContext();

    private LoggingEvent event(Level level, String message, Throwable thrown, Object... arguments) {
        LoggingEvent event = new LoggingEvent("test", context.getLogger("dev.berth.http.AccessLog"), level, message,
                thrown, arguments);
        event.setTimeStamp(Instant.parse("2026-11-28T09:48:32.547Z").toEpochMilli());
        return event;
    }

    @Test
    void writesTimeLevelLoggerMessageAndFieldsOnOneLine() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("service", "registry");
        fields.put("env", "prod");
        TextLayout layout = new TextLayout(fields, ZoneId.of("UTC"));

        assertThat(layout.doLayout(event(Level.INFO, "GET {} {}", null, "/v2/", 200)))
                .isEqualTo("2026-11-28T09:48:32.547Z INFO  AccessLog GET /v2/ 200 service=registry env=prod"
                        + System.lineSeparator());
        assertThat(layout.doLayout(event(Level.ERROR, "disk full", null)))
                .startsWith("2026-11-28T09:48:32.547Z ERROR AccessLog disk full");
    }

    @Test
    void showsTheLocalTimeWithItsOffset() {
        TextLayout layout = new TextLayout(Map.of(), ZoneId.of("+02:00"));

        assertThat(layout.doLayout(event(Level.WARN, "slow", null)))
                .startsWith("2026-11-28T11:48:32.547+02:00 WARN  AccessLog slow");
    }

    @Test
    void followsTheLineWithTheStackTrace() {
        TextLayout layout = new TextLayout(Map.of(), ZoneId.of("UTC"));

        String text = layout.doLayout(event(Level.WARN, "stopping failed", new IllegalStateException("boom")));

        assertThat(text.lines().toList().getFirst()).endsWith("WARN  AccessLog stopping failed");
        assertThat(text.lines().toList().get(1)).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(text).contains("\tat dev.berth.cli.TextLayoutTest.followsTheLineWithTheStackTrace");
    }
}
