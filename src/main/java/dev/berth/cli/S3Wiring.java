package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.berth.config.S3Settings;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.s3.ObjectOptions;
import dev.berth.storage.s3.S3Address;
import dev.berth.storage.s3.S3Connection;
import dev.berth.storage.s3.S3Driver;
import dev.berth.storage.s3.SdkLogging;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/** The S3 driver a configuration describes; loaded by {@link S3Loading}, beside the SDK, never by name elsewhere. */
public final class S3Wiring implements Function<S3Settings, StorageDriver> {

    @Override
    public StorageDriver apply(S3Settings s3) {
        // Logback's own API, not Logging's: this class is defined by S3Loading's class loader, which makes the
        // package-private members of the cli package that the application's loader defined out of its reach
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logged(s3.logLevel()).forEach(kind -> kind.loggers()
                .forEach(name -> context.getLogger(name).setLevel(Level.DEBUG)));
        return new S3Driver(S3Connection.to(new S3Address(s3.region(), s3.regionEndpoint(), s3.redirectEndpoint(),
                s3.pathStyle(), s3.dualStack(), s3.accelerate(), s3.fips()), s3.userAgent(),
                s3.credentials().map(S3Settings.Credentials::accessKey).orElse(null),
                s3.credentials().map(S3Settings.Credentials::secretKey).orElse(null), s3.skipVerify()),
                s3.bucket(), s3.rootDirectory(), s3.chunkSize(),
                new ObjectOptions(s3.storageClass().orElse(null), s3.encrypt(), s3.kmsKeyId().orElse(null),
                        s3.objectAcl().orElse(null)),
                Path.of(System.getProperty("java.io.tmpdir")), s3.redirect(), Layout::isUploadData);
    }

    /** What each of distribution's levels shows here, its SDK's request errors and event streams being requests. */
    static Set<SdkLogging> logged(S3Settings.LogLevel level) {
        return switch (level) {
            case OFF -> EnumSet.noneOf(SdkLogging.class);
            case DEBUG, DEBUG_WITH_REQUEST_ERRORS, DEBUG_WITH_EVENT_STREAM_BODY -> EnumSet.of(SdkLogging.REQUESTS);
            case DEBUG_WITH_SIGNING -> EnumSet.of(SdkLogging.REQUESTS, SdkLogging.SIGNING);
            case DEBUG_WITH_HTTP_BODY -> EnumSet.of(SdkLogging.REQUESTS, SdkLogging.WIRE);
            case DEBUG_WITH_REQUEST_RETRIES -> EnumSet.of(SdkLogging.REQUESTS, SdkLogging.RETRIES);
        };
    }
}
