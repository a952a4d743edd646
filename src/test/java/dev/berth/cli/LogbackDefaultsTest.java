package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogbackDefaultsTest {

    @Test
    void atTheRegistrysDebugLevelTheLibrariesStillLogOnlyWarnings() {
        LoggerContext context = new LoggerContext();
        new LogbackDefaults().configure(context);
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG); // as log.level: debug sets it

        assertThat(context.getLogger("dev.berth.registry.Uploads").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        // every byte an S3 request sends, every connection event, every request to S3: not unless asked for
        assertThat(context.getLogger("org.apache.hc.client5.http.wire").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.eclipse.jetty.io.ManagedSelector").getEffectiveLevel())
                .isEqualTo(Level.WARN);
        assertThat(context.getLogger("software.amazon.awssdk.request").getEffectiveLevel()).isEqualTo(Level.WARN);
        context.stop();
    }
}
