package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.berth.config.LogSettings;
import dev.berth.http.AccessLog;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log} to Logback: the level, the format (text, or one JSON object per line), the fields every
 * line carries, and whether access lines are written. Everything goes to stderr, as distribution's logs do.
 */
final class Logging {

    private static final String IGNORE = "[ignore]";

    private Logging() {
    }

    static void configure(String level, LogSettings settings) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        // access lines are their own switch, as in distribution: written at any level unless disabled
        context.getLogger(AccessLog.LOGGER).setLevel(settings.accessLog() ? Level.INFO : Level.OFF);
        writeToStderr(context, Level.toLevel(level), encoder(context, settings));
    }

    /** Replaces the root logger's appenders with one that writes to stderr through {@code encoder}. */
    static void writeToStderr(LoggerContext context, Level level, Encoder<ILoggingEvent> encoder) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        StderrAppender appender = new StderrAppender();
        appender.setContext(context);
        appender.setName("STDERR");
        appender.setEncoder(encoder);
        appender.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }

    static Encoder<ILoggingEvent> textEncoder(LoggerContext context, Map<String, String> fields) {
        TextLayout layout = new TextLayout(fields, ZoneId.systemDefault());
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> text = new LayoutWrappingEncoder<>();
        text.setLayout(layout);
        text.setCharset(StandardCharsets.UTF_8);
        text.setContext(context);
        text.start();
        return text;
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, LogSettings settings) {
        if (settings.format() == LogSettings.Format.TEXT) {
            return textEncoder(context, settings.fields());
        }
        // the logger context's properties become fields of every object
        settings.fields().forEach(context::putProperty);
        LogstashEncoder json = new LogstashEncoder();
        if (settings.format() == LogSettings.Format.JSON) {
            // distribution's json formatter names them so; logstash keeps @timestamp and @version
            json.getFieldNames().setTimestamp("time");
            json.getFieldNames().setMessage("msg");
            json.getFieldNames().setLogger("logger");
            json.getFieldNames().setThread("thread");
            json.getFieldNames().setVersion(IGNORE);
            json.getFieldNames().setLevelValue(IGNORE);
        }
        json.setContext(context);
        json.start();
        return json;
    }
}
