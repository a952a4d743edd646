package dev.berth.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * A text log line: local time with its offset, the level, the logger's last name, the message, {@code log.fields}
 * as {@code key=value}, then the stack trace of any exception. Written directly rather than through Logback's
 * pattern layout, whose pattern compiler took a tenth of the start-up and whose converter chain ran on every
 * access line.
 */
final class TextLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final int LEVEL_WIDTH = 5;

    private final ZoneId zone;
    private final String fields;

    TextLayout(Map<String, String> fields, ZoneId zone) {
        StringBuilder pairs = new StringBuilder();
        fields.forEach((key, value) -> pairs.append(' ').append(key).append('=').append(value));
        this.fields = pairs.toString();
        this.zone = zone;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone), line);
        line.append(' ');
        String level = event.getLevel().toString();
        line.append(level).repeat(' ', LEVEL_WIDTH - level.length()).append(' ');
        String logger = event.getLoggerName();
        line.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(' ')
                .append(event.getFormattedMessage()).append(fields).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }
}
