package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * Logback's configuration until the configuration file's {@code log} section is applied ({@link Logging}): text
 * lines on stderr at info, Jetty's own at warn. Found by Logback through {@code META-INF/services}, so that no XML
 * parser is loaded at start-up (parsing a {@code logback.xml} was a tenth of the time to the first answer).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogbackDefaults extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Logging.writeToStderr(context, Level.INFO, Logging.textEncoder(context, Map.of()));
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
