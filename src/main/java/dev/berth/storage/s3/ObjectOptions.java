package dev.berth.storage.s3;

import java.util.function.BiConsumer;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * How objects are written: {@code storageclass}, {@code encrypt}, {@code keyid} and {@code objectacl} of
 * distribution's driver.
 *
 * @param storageClass the class of every object written, or null for the bucket's default
 * @param encrypt      server-side encryption: with {@code kmsKeyId}, by that KMS key, else S3's own keys
 * @param acl          the canned ACL of every object written, or null to send none
 */
public record ObjectOptions(String storageClass, boolean encrypt, String kmsKeyId, String acl) {
    public static final ObjectOptions DEFAULT = new ObjectOptions(null, false, null, null);

    PutObjectRequest.Builder applyTo(PutObjectRequest.Builder put) {
        return applyTo(put, PutObjectRequest.Builder::storageClass, PutObjectRequest.Builder::serverSideEncryption,
                PutObjectRequest.Builder::ssekmsKeyId, PutObjectRequest.Builder::acl);
    }

    CopyObjectRequest.Builder applyTo(CopyObjectRequest.Builder copy) {
        return applyTo(copy, CopyObjectRequest.Builder::storageClass, CopyObjectRequest.Builder::serverSideEncryption,
                CopyObjectRequest.Builder::ssekmsKeyId, CopyObjectRequest.Builder::acl);
    }

    CreateMultipartUploadRequest.Builder applyTo(CreateMultipartUploadRequest.Builder create) {
        return applyTo(create, CreateMultipartUploadRequest.Builder::storageClass,
                CreateMultipartUploadRequest.Builder::serverSideEncryption,
                CreateMultipartUploadRequest.Builder::ssekmsKeyId, CreateMultipartUploadRequest.Builder::acl);
    }

    /** Sets what is configured on a request builder, through its setters. */
    private <B> B applyTo(B builder, BiConsumer<B, StorageClass> storageClassSetter,
                          BiConsumer<B, ServerSideEncryption> encryptionSetter, BiConsumer<B, String> kmsKeySetter,
                          BiConsumer<B, ObjectCannedACL> aclSetter) {
        if (storageClass != null) {
            storageClassSetter.accept(builder, StorageClass.fromValue(storageClass));
        }
        if (encrypt) {
            encryptionSetter.accept(builder,
                    kmsKeyId == null ? ServerSideEncryption.AES256 : ServerSideEncryption.AWS_KMS);
            kmsKeySetter.accept(builder, kmsKeyId);
        }
        if (acl != null) {
            aclSetter.accept(builder, ObjectCannedACL.fromValue(acl));
        }
        return builder;
    }
}
