package dev.berth.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * What a logger, and the loggers below it, write while each test method runs (after the servers of the test
 * have started): {@code @RegisterExtension final CapturedLogs logs = CapturedLogs.of(Some.class);}.
 */
final class CapturedLogs implements BeforeTestExecutionCallback, AfterTestExecutionCallback {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLogs(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    }

    /** Everything logged, by any logger. */
    static CapturedLogs all() {
        return new CapturedLogs(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** What {@code source} logs. */
    static CapturedLogs of(Class<?> source) {
        return new CapturedLogs(source.getName());
    }

    /** The events so far, in order. */
    List<ILoggingEvent> events() {
        return appender.list;
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        appender.start();
        logger.addAppender(appender);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        logger.detachAppender(appender);
    }
}
