package dev.berth.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The loggers each kind of {@link SdkLogging} names are the ones the SDK and its HTTP client write that kind of line
 * to: checked against the SDK itself, whose logger names are no API and could move in a new version.
 */
class SdkLoggingTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final List<Logger> touched = new ArrayList<>();
    private HttpServer s3;

    @BeforeEach
    void startS3() throws Exception {
        s3 = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s3.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("x-amz-request-id", "REQ123");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        s3.start();
    }

    @AfterEach
    void stop() {
        s3.stop(0);
        touched.forEach(logger -> {
            logger.setLevel(null);
            logger.detachAndStopAllAppenders();
        });
    }

    /** The messages the kind's loggers got at debug level while the client asked S3 about a bucket. */
    private List<String> linesOf(SdkLogging kind) {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.setContext(context);
        lines.start();
        for (String name : kind.loggers()) {
            Logger logger = context.getLogger(name);
            logger.setLevel(Level.DEBUG);
            logger.addAppender(lines);
            touched.add(logger);
        }
        S3Connection connection = S3Connection.to(S3Address.of("us-east-1",
                URI.create("http://127.0.0.1:" + s3.getAddress().getPort())), Optional.empty(), "AKIAEXAMPLE",
                "secret-key-never-logged", false);
        try {
            connection.client().headBucket(b -> b.bucket("images"));
        } finally {
            connection.client().close();
        }
        return lines.list.stream().filter(line -> line.getLevel() == Level.DEBUG)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void requestsLogEachRequestAndItsResponse() {
        List<String> lines = linesOf(SdkLogging.REQUESTS);
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("Sending Request").contains("HEAD"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("200").contains("REQ123"));
    }

    @Test
    void signingLogsTheCanonicalRequestAndNeverTheSecret() {
        List<String> lines = linesOf(SdkLogging.SIGNING);
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("HEAD\n/images"));
        assertThat(lines).noneSatisfy(line -> assertThat(line).contains("secret-key-never-logged"));
    }

    @Test
    void wireLogsTheBytesSent() {
        assertThat(linesOf(SdkLogging.WIRE)).anySatisfy(line -> assertThat(line).contains("HEAD /images HTTP/1.1"));
    }

    @Test
    void retriesLogTheStrategysAccounting() {
        assertThat(linesOf(SdkLogging.RETRIES)).anySatisfy(line -> assertThat(line).contains("Request attempt 1"));
    }
}
