package dev.berth.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One line per request, through the {@value #LOGGER} logger: a readable summary, and the same facts as key-value
 * pairs for JSON logs. Built only from {@link RequestRecord}, which holds no header and no credential.
 */
public final class AccessLog implements RequestObserver {

    /** The logger's name, so that logging can be configured for access lines apart from the rest. */
    public static final String LOGGER = "access";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final boolean keyValues;

    /** {@code keyValues}: whether the logs are JSON, whose layouts write them; text lines show only the summary. */
    public AccessLog(boolean keyValues) {
        this.keyValues = keyValues;
    }

    @Override
    public void completed(RequestRecord r) {
        long millis = r.duration().toMillis();
        LoggingEventBuilder line = LOG.atInfo();
        if (keyValues) {
            line.addKeyValue("method", r.method())
                    .addKeyValue("route", r.route())
                    .addKeyValue("repository", r.repository().orElse(""))
                    .addKeyValue("status", r.status())
                    .addKeyValue("bytes_in", r.bytesIn())
                    .addKeyValue("bytes_out", r.bytesOut())
                    .addKeyValue("duration_ms", millis)
                    .addKeyValue("user", r.user().orElse(""))
                    .addKeyValue("remote", r.remoteAddress());
        }
        line.log(r.method() + " " + r.route() + " " + r.status() + " repository=" + r.repository().orElse("-")
                + " user=" + r.user().orElse("-") + " in=" + r.bytesIn() + " out=" + r.bytesOut()
                + " duration=" + millis + "ms remote=" + r.remoteAddress());
    }
}
