package dev.berth.cli;

import dev.berth.config.ConfigException;
import dev.berth.config.S3Settings;
import dev.berth.loading.BesideClassPath;
import dev.berth.storage.StorageDriver;
import java.io.IOException;
import java.util.function.Function;

/**
 * Loads the S3 driver and the AWS SDK it runs on from {@code lib/s3} beside the jar, only when the configuration
 * asks for S3: on the jar's class path those 30-odd jars would be opened by every start's service lookups, costing
 * a registry on the filesystem 1.5 MiB of resident memory for a driver it does not use.
 */
final class S3Loading {

    private static final String WIRING = "dev.berth.cli.S3Wiring";

    private S3Loading() {
    }

    @SuppressWarnings("unchecked")
    static StorageDriver open(S3Settings settings) {
        try {
            Function<S3Settings, StorageDriver> wiring =
                    BesideClassPath.create(Function.class, WIRING, "s3", WIRING, "dev.berth.storage.s3.");
            return wiring.apply(settings);
        } catch (ReflectiveOperationException | IOException | LinkageError e) {
            throw new ConfigException("storage.s3", "cannot load the S3 driver (lib/s3 beside berth.jar): " + e);
        }
    }
}
