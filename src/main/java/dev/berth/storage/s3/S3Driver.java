package dev.berth.storage.s3;

import dev.berth.storage.s3.MultipartUploads.Found;
import dev.berth.storage.s3.MultipartUploads.OpenUpload;

import dev.berth.storage.AtOnce;
import dev.berth.storage.FileInfo;
import dev.berth.storage.Keys;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.StorageException;
import dev.berth.storage.StorageWriter;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Keys as objects of an S3 bucket (AWS, or any S3-compatible service), named as distribution's {@code s3} driver
 * names them, {@code <rootdirectory>/docker/registry/v2/...}, so that a bucket one of them wrote is served by the
 * other as it is. Directories are the prefixes of the objects below them.
 *
 * <p>S3 makes each object it acknowledges durable, and a new object appears whole or not at all, which is the
 * contract of {@link StorageDriver}. A move is a copy followed by a delete, as S3 has no rename: readers see the
 * target whole, and the source for a moment beside it.
 */
public final class S3Driver implements StorageDriver {

    /** S3's largest part. */
    private static final long MAX_PART = 5L << 30;
    /** The largest object one CopyObject copies; larger ones are copied in parts. */
    private static final long MAX_SINGLE_COPY = 5L << 30;
    /** The most keys one DeleteObjects takes. */
    private static final int MAX_DELETES = 1_000;
    /** How long a client may take to start a download it was sent to: distribution's 20 minutes. */
    private static final Duration DOWNLOAD_URL_LIFETIME = Duration.ofMinutes(20);

    private final S3Client s3;
    private final String bucket;
    private final ObjectOptions options;
    final long partSize;
    final Path spoolDirectory;
    final MultipartUploads uploads;
    /** Signs the URLs blobs are downloaded from; null when clients are not sent to the bucket. */
    private final S3Presigner presigner;
    /** What every object name starts with: the root directory without its leading slash, or nothing. */
    private final String prefix;
    private final AtOnce atOnce = new AtOnce(this);

    /**
     * @param rootDirectory  {@code rootdirectory}: where in the bucket the registry's keys go ("" or "/" for its top)
     * @param partSize       {@code chunksize}: the part size of the multipart uploads that append to a file, at
     *                       least 5 MiB; larger than 5 GiB less 5 MiB is taken as that, as a writer's last part
     *                       takes in the bytes after it that are too few to be a part, and S3's largest part is
     *                       5 GiB. A writer holds up to two parts in files under {@code spoolDirectory}
     * @param redirect       whether {@link #downloadUrl} sends clients to the bucket (distribution's default; off
     *                       with {@code storage.redirect.disable})
     * @param appendable     the keys appended to chunk after chunk (an upload's data): each is a multipart upload
     *                       kept open from one writer to the next, completed when read or moved, so that an upload
     *                       costs no copy per chunk; other keys are always whole objects
     */
    public S3Driver(S3Connection connection, String bucket, String rootDirectory, long partSize,
                    ObjectOptions options, Path spoolDirectory, boolean redirect, Predicate<String> appendable) {
        if (partSize < MultipartUploads.MIN_PART) {
            throw new IllegalArgumentException("the part size must be at least 5 MiB, not " + partSize);
        }
        this.s3 = connection.client();
        this.bucket = bucket;
        this.options = options;
        this.partSize = Math.min(partSize, MAX_PART - MultipartUploads.MIN_PART);
        this.spoolDirectory = spoolDirectory;
        this.presigner = redirect ? connection.newPresigner().get() : null;
        this.uploads = new MultipartUploads(s3, bucket, options, appendable, atOnce);
        String root = rootDirectory.replaceAll("/+$", "").replaceAll("^/+", "");
        this.prefix = root.isEmpty() ? "" : root + "/";
    }

    /** The object name of a key: distribution's, the root and the key with no slash in front. */
    String objectName(String key) {
        return prefix + Keys.check(key).substring(1);
    }

    @Override
    public byte[] getContent(String key) {
        String name = objectName(key);
        uploads.completeOpen(key, name);
        return call(key, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(name)).asByteArray());
    }

    @Override
    public void putContent(String key, byte[] content) {
        putObject(key, objectName(key), RequestBody.fromBytes(content));
    }

    void putObject(String key, String name, RequestBody body) {
        PutObjectRequest put = options.applyTo(PutObjectRequest.builder().bucket(bucket).key(name)).build();
        call(key, () -> s3.putObject(put, body));
    }

    @Override
    public InputStream reader(String key, long offset) {
        String name = objectName(key);
        uploads.completeOpen(key, name);
        try {
            ResponseInputStream<GetObjectResponse> in = call(key, () -> s3.getObject(b -> {
                b.bucket(bucket).key(name);
                if (offset > 0) {
                    b.range("bytes=" + offset + "-");
                }
            }));
            return new AbortingStream(in, in.response().contentLength());
        } catch (StorageException e) {
            // S3 answers 416 for a range starting at the end: an empty read there, as from a file
            if (e.getCause() instanceof S3Exception s3e && s3e.statusCode() == 416
                    && statFile(key).filter(info -> info.size() == offset).isPresent()) {
                return InputStream.nullInputStream();
            }
            throw e;
        }
    }

    @Override
    public Optional<URI> downloadUrl(String key) {
        if (presigner == null) {
            return Optional.empty();
        }
        String name = objectName(key);
        return Optional.of(URI.create(call(key, () -> presigner.presignGetObject(p -> p
                .signatureDuration(DOWNLOAD_URL_LIFETIME).getObjectRequest(b -> b.bucket(bucket).key(name)))).url()
                .toString()));
    }

    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public StorageWriter writer(String key, boolean append) {
        return new S3Writer(this, key, objectName(key), append);
    }

    @Override
    public Optional<FileInfo> stat(String key) {
        Optional<FileInfo> file = statFile(key);
        if (file.isPresent()) {
            return file;
        }
        // a prefix has no time of its own: that of a file right in it, if the first entry is one
        return firstBelow(key).map(below -> new FileInfo(key, 0,
                below.contents().stream().findFirst().map(S3Object::lastModified).orElse(Instant.EPOCH), true, null));
    }

    /** One request, where {@link #stat} would first ask for a file of that name. */
    @Override
    public boolean isDirectory(String key) {
        return firstBelow(key).isPresent();
    }

    /**
     * The first entry one level below {@code key}, if any: one level, so that the service need not walk the whole
     * tree below (S3Proxy does).
     */
    private Optional<ListObjectsV2Response> firstBelow(String key) {
        String name = objectName(key);
        ListObjectsV2Response below = call(key,
                () -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(name + "/").delimiter("/").maxKeys(1)));
        return below.contents().isEmpty() && below.commonPrefixes().isEmpty() ? Optional.empty() : Optional.of(below);
    }

    @Override
    public Optional<FileInfo> statFile(String key) {
        String name = objectName(key);
        Found found = uploads.find(key, name);
        Optional<OpenUpload> open = found.upload().filter(OpenUpload::holdsTheFile);
        if (open.isPresent()) {
            return Optional.of(new FileInfo(key, open.get().size(), open.get().modified(), false, null));
        }
        return found.object().map(head -> new FileInfo(key, head.contentLength(), head.lastModified(), false,
                head.eTag()));
    }

    @Override
    public List<String> list(String key) {
        String directory = objectName(key) + "/";
        Set<String> names = new LinkedHashSet<>();
        call(key, () -> {
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(directory).delimiter("/")).forEach(page -> {
                for (CommonPrefix below : page.commonPrefixes()) {
                    String child = below.prefix().substring(directory.length());
                    names.add(child.substring(0, child.length() - 1));
                }
                for (S3Object object : page.contents()) {
                    String child = object.key().substring(directory.length());
                    if (!child.isEmpty()) { // a "directory marker" some tools write
                        names.add(child);
                    }
                }
            });
            return null;
        });
        return List.copyOf(names);
    }

    @Override
    public void move(String from, String to) {
        String source = objectName(from);
        String target = objectName(to);
        long size = uploads.completeOpen(from, source).map(Found::size)
                .orElseGet(() -> uploads.head(from, source).map(HeadObjectResponse::contentLength).orElse(-1L));
        if (size < 0) {
            throw new NotFoundException(from);
        }
        if (size <= MAX_SINGLE_COPY) {
            CopyObjectRequest copy = options.applyTo(CopyObjectRequest.builder().sourceBucket(bucket)
                    .sourceKey(source).destinationBucket(bucket).destinationKey(target)).build();
            call(from, () -> s3.copyObject(copy));
        } else {
            uploads.copy(from, source, target, size);
        }
        call(from, () -> s3.deleteObject(b -> b.bucket(bucket).key(source)));
    }

    @Override
    public void delete(String key) {
        String name = objectName(key);
        // the objects, and the multipart uploads a writer killed mid-part left (an upload's directory goes when it
        // completes, is cancelled or purged; S3 would keep their parts, and charge for them, until a lifecycle rule
        // drops them), at once
        atOnce.run(List.of(() -> call(key, () -> {
            // the object the key may name goes in the first batch of those below it (S3 takes 1,000 keys a
            // request), not in a request of its own
            List<ObjectIdentifier> batch = new ArrayList<>(List.of(ObjectIdentifier.builder().key(name).build()));
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(name + "/")).contents()) {
                batch.add(ObjectIdentifier.builder().key(object.key()).build());
                if (batch.size() == MAX_DELETES) {
                    deleteObjects(key, batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                deleteObjects(key, batch);
            }
            return null;
        }), () -> call(key, () -> {
            s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(name + "/")).uploads()
                    .forEach(upload -> uploads.abort(upload.key(), upload.uploadId()));
            return null;
        })));
    }

    private void deleteObjects(String key, List<ObjectIdentifier> objects) {
        List<ObjectIdentifier> these = List.copyOf(objects);
        // S3 answers 200 whatever it could not delete; a key already gone is no failure, though some services list it
        List<S3Error> failed = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(these).quiet(true)))
                .errors().stream().filter(error -> !"NoSuchKey".equals(error.code())).toList();
        if (!failed.isEmpty()) {
            throw new StorageException("S3 did not delete " + failed.getFirst().key() + " under " + key + ": "
                    + failed.getFirst().code() + " " + failed.getFirst().message());
        }
    }

    /**
     * Runs one call to S3, as a {@link NotFoundException} when the object is not there and a
     * {@link StorageException} when S3 or the way to it fails.
     */
    static <T> T call(String key, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (NoSuchKeyException e) {
            throw new NotFoundException(key);
        } catch (S3Exception e) {
            // a missing object; a missing bucket (NoSuchBucket, or a missing upload) is the storage failing
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e.statusCode() == 404 && (code == null || code.isEmpty() || code.equals("NotFound"))) {
                throw new NotFoundException(key);
            }
            throw new StorageException("S3 failed on " + key + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new StorageException("S3 failed on " + key + ": " + e.getMessage(), e);
        }
    }
}
