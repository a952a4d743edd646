package dev.berth.storage.s3;

import java.util.function.BiConsumer;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * How objects are written: {@code storageclass}, {@code encrypt} and {@code keyid} of distribution's driver.
 *
 * @param storageClass the class of every object written, or null for the bucket's default
 * @param encrypt      server-side encryption: with {@code kmsKeyId}, by that KMS key, else S3's own keys
 */
public record ObjectOptions(String storageClass, boolean encrypt, String kmsKeyId) {
    public static final ObjectOptions DEFAULT = new ObjectOptions(null, false, null);

    /** Sets what is configured on a request builder, through its three setters. */
    <B> B applyTo(B builder, BiConsumer<B, StorageClass> storageClassSetter,
                  BiConsumer<B, ServerSideEncryption> encryptionSetter, BiConsumer<B, String> kmsKeySetter) {
        if (storageClass != null) {
            storageClassSetter.accept(builder, StorageClass.fromValue(storageClass));
        }
        if (encrypt) {
            encryptionSetter.accept(builder,
                    kmsKeyId == null ? ServerSideEncryption.AES256 : ServerSideEncryption.AWS_KMS);
            kmsKeySetter.accept(builder, kmsKeyId);
        }
        return builder;
    }

    CreateMultipartUploadRequest.Builder applyTo(CreateMultipartUploadRequest.Builder create) {
        return applyTo(create, CreateMultipartUploadRequest.Builder::storageClass,
                CreateMultipartUploadRequest.Builder::serverSideEncryption,
                CreateMultipartUploadRequest.Builder::ssekmsKeyId);
    }
}
