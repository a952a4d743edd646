package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import java.util.Map;

/**
 * Logback's configuration until the configuration file's {@code log} section is applied ({@link Logging}): text
 * lines on stderr at info. The libraries' own lines stay at warn and above whatever {@code log.level} says, as
 * distribution's do: at debug, Jetty would log every event of every connection and the AWS SDK's HTTP client every
 * byte it sends S3, blobs included; {@code storage.s3.loglevel} asks for the SDK's. Found by Logback through
 * {@code META-INF/services}, so that no XML parser is loaded at start-up (parsing a {@code logback.xml} was a tenth
 * of the time to the first answer).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogbackDefaults extends ContextAwareBase implements Configurator {

    /** Jetty, the AWS SDK and the HTTP client it sends S3 requests with. */
    private static final List<String> LIBRARIES =
            List.of("org.eclipse.jetty", "software.amazon.awssdk", "org.apache.hc");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Logging.writeToStderr(context, Level.INFO, Logging.textEncoder(context, Map.of()));
        for (String library : LIBRARIES) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
