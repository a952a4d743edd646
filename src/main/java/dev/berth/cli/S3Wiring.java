package dev.berth.cli;

import dev.berth.config.S3Settings;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.s3.ObjectOptions;
import dev.berth.storage.s3.S3Address;
import dev.berth.storage.s3.S3Connection;
import dev.berth.storage.s3.S3Driver;
import java.nio.file.Path;
import java.util.function.Function;

/** The S3 driver a configuration describes; loaded by {@link S3Loading}, beside the SDK, never by name elsewhere. */
public final class S3Wiring implements Function<S3Settings, StorageDriver> {

    @Override
    public StorageDriver apply(S3Settings s3) {
        return new S3Driver(S3Connection.to(new S3Address(s3.region(), s3.regionEndpoint(), s3.redirectEndpoint(),
                s3.pathStyle(), s3.dualStack(), s3.accelerate(), s3.fips()), s3.userAgent(),
                s3.credentials().map(S3Settings.Credentials::accessKey).orElse(null),
                s3.credentials().map(S3Settings.Credentials::secretKey).orElse(null), s3.skipVerify()),
                s3.bucket(), s3.rootDirectory(), s3.chunkSize(),
                new ObjectOptions(s3.storageClass().orElse(null), s3.encrypt(), s3.kmsKeyId().orElse(null),
                        s3.objectAcl().orElse(null)),
                Path.of(System.getProperty("java.io.tmpdir")), s3.redirect(), Layout::isUploadData);
    }
}
