package dev.berth.storage.s3;

import static dev.berth.storage.s3.S3Driver.call;

import dev.berth.storage.AtOnce;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * The multipart uploads of a bucket: how {@link S3Writer} appends to a file part after part, how a file too large for
 * one copy is moved, and what an appendable key (an upload's data) holds, its object and the upload left open on it.
 * An appendable key's file is the upload that holds it until the upload is completed (when the file is read or
 * moved), the object after. Thread-safe.
 */
final class MultipartUploads {

    /** S3's smallest part of a multipart upload but the last. */
    static final long MIN_PART = 5L << 20;
    /** The range one UploadPartCopy copies, unless the object needs larger ones to fit S3's 10,000 parts. */
    private static final long COPY_PART = 256L << 20;
    /** Leaves parts for what an append adds after the copied ones. */
    private static final int MAX_COPY_PARTS = 5_000;
    private static final int COPIES_AT_ONCE = 8;

    private final S3Client s3;
    private final String bucket;
    private final ObjectOptions options;
    private final Predicate<String> appendable;
    private final AtOnce atOnce;

    MultipartUploads(S3Client s3, String bucket, ObjectOptions options, Predicate<String> appendable, AtOnce atOnce) {
        this.s3 = s3;
        this.bucket = bucket;
        this.options = options;
        this.appendable = appendable;
        this.atOnce = atOnce;
    }

    boolean appendable(String key) {
        return appendable.test(key);
    }

    /** A part of an open upload. */
    record Part(int number, String etag, long size, Instant modified) {
        CompletedPart completed() {
            return CompletedPart.builder().partNumber(number).eTag(etag).build();
        }
    }

    /**
     * The multipart upload most recently started on an appendable key, with its parts numbered 1, 2, ... without a
     * gap (parts after a gap are what a writer killed while copying ranges at once left), and the others there.
     *
     * @param holdsTheFile whether the upload is the file: it has parts, and holds at least what the object does
     *                     (an upload copying the object into its first parts holds less until the copy is done)
     * @param older        uploads a killed writer left before it
     */
    record OpenUpload(String id, Instant initiated, List<Part> parts, boolean holdsTheFile, List<String> older) {
        long size() {
            return parts.stream().mapToLong(Part::size).sum();
        }

        /** When the file was last written to, as a file's modification time. */
        Instant modified() {
            return parts.stream().map(Part::modified).max(Instant::compareTo).orElse(initiated);
        }

        List<CompletedPart> completedParts() {
            return parts.stream().map(Part::completed).toList();
        }
    }

    /**
     * What a key holds: its object, and for an appendable key the multipart upload most recently started on it.
     * Every caller of the one needs the other (the object's size tells whether the upload holds the file, and is the
     * file's when no upload does), so both are asked for at once.
     */
    record Found(Optional<HeadObjectResponse> object, Optional<OpenUpload> upload) {
        /** The file's size: the upload's that holds it, else the object's; -1 when there is neither. */
        long size() {
            return upload.filter(OpenUpload::holdsTheFile).map(OpenUpload::size)
                    .orElseGet(() -> object.map(HeadObjectResponse::contentLength).orElse(-1L));
        }
    }

    /** What a key holds: for an appendable key, its object and open upload; for another, its object. */
    Found find(String key, String name) {
        return appendable(key) ? findOpen(key, name) : new Found(head(key, name), Optional.empty());
    }

    /** An appendable key's object and open upload. Reads only: a writer may be adding to the upload meanwhile. */
    private Found findOpen(String key, String name) {
        AtomicReference<Optional<HeadObjectResponse>> object = new AtomicReference<>();
        AtomicReference<List<MultipartUpload>> uploads = new AtomicReference<>();
        atOnce.run(List.of(() -> object.set(head(key, name)), () -> uploads.set(call(key,
                () -> s3.listMultipartUploads(b -> b.bucket(bucket).prefix(name))).uploads().stream()
                .filter(upload -> upload.key().equals(name))
                .sorted(Comparator.comparing(MultipartUpload::initiated)).toList())));
        List<MultipartUpload> open = uploads.get();
        if (open.isEmpty()) {
            return new Found(object.get(), Optional.empty());
        }
        MultipartUpload latest = open.getLast();
        List<Part> parts = new ArrayList<>();
        call(key, () -> {
            s3.listPartsPaginator(b -> b.bucket(bucket).key(name).uploadId(latest.uploadId())).parts().stream()
                    .sorted(Comparator.comparing(software.amazon.awssdk.services.s3.model.Part::partNumber))
                    .takeWhile(part -> part.partNumber() == parts.size() + 1)
                    .forEach(part -> parts.add(new Part(part.partNumber(), part.eTag(), part.size(),
                            part.lastModified())));
            return null;
        });
        long uploaded = parts.stream().mapToLong(Part::size).sum();
        boolean holds = !parts.isEmpty()
                && uploaded >= object.get().map(HeadObjectResponse::contentLength).orElse(-1L);
        return new Found(object.get(), Optional.of(new OpenUpload(latest.uploadId(), latest.initiated(), parts, holds,
                open.subList(0, open.size() - 1).stream().map(MultipartUpload::uploadId).toList())));
    }

    /** The key's object, empty when there is none. */
    Optional<HeadObjectResponse> head(String key, String name) {
        try {
            return Optional.of(call(key, () -> s3.headObject(b -> b.bucket(bucket).key(name))));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * An appendable key's object and the upload that holds its file, if one does, with what else is open there given
     * up: for callers that have the file to themselves (a writer, or a read or move of a finished upload).
     */
    Found take(String key, String name) {
        Found found = findOpen(key, name);
        found.upload().ifPresent(upload -> {
            upload.older().forEach(id -> abort(name, id));
            if (!upload.holdsTheFile()) {
                abort(name, upload.id());
            }
        });
        return new Found(found.object(), found.upload().filter(OpenUpload::holdsTheFile));
    }

    /**
     * Makes an appendable key's open upload the object readers see, and returns what the key held; empty, without a
     * request, for other keys, which are always whole objects.
     */
    Optional<Found> completeOpen(String key, String name) {
        if (!appendable(key)) {
            return Optional.empty();
        }
        Found found = take(key, name);
        found.upload().ifPresent(open -> complete(key, name, open.id(), open.completedParts()));
        return Optional.of(found);
    }

    /** Gives up the uploads open on an appendable key, whose file is being replaced. */
    void abandon(String key, String name) {
        if (appendable(key)) {
            call(key, () -> s3.listMultipartUploads(b -> b.bucket(bucket).prefix(name))).uploads().stream()
                    .filter(upload -> upload.key().equals(name)).forEach(upload -> abort(name, upload.uploadId()));
        }
    }

    /** Starts an upload to the object {@code name}, and returns its id. */
    String start(String key, String name) {
        CreateMultipartUploadRequest create = options.applyTo(CreateMultipartUploadRequest.builder().bucket(bucket)
                .key(name)).build();
        return call(key, () -> s3.createMultipartUpload(create)).uploadId();
    }

    CompletedPart uploadPart(String key, String name, String uploadId, int number, RequestBody body) {
        long length = body.optionalContentLength().orElseThrow();
        String etag = call(key, () -> s3.uploadPart(b -> b.bucket(bucket).key(name)
                .uploadId(uploadId).partNumber(number).contentLength(length), body)).eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    void complete(String key, String name, String uploadId, List<CompletedPart> parts) {
        call(key, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts))));
    }

    /** Gives up a multipart upload, so that its parts are not kept (and charged for); best effort. */
    void abort(String name, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId));
        } catch (SdkException e) {
            // a bucket lifecycle rule for incomplete multipart uploads removes what is left
        }
    }

    /** Copies an object of {@code size} bytes to another within the bucket, in parts, as one too large for a copy. */
    void copy(String key, String source, String target, long size) {
        String uploadId = start(key, target);
        try {
            complete(key, target, uploadId, copyParts(key, source, size, target, uploadId));
        } catch (RuntimeException e) {
            abort(target, uploadId);
            throw e;
        }
    }

    /**
     * Copies an object into a multipart upload as its first parts, within the bucket, several ranges at once (S3
     * copies one range at most 5 GiB long, and each range goes at the speed of one copy).
     */
    List<CompletedPart> copyParts(String key, String source, long size, String target, String uploadId) {
        long range = Math.max(COPY_PART, Math.ceilDiv(size, MAX_COPY_PARTS));
        int count = Math.toIntExact(Math.ceilDiv(size, range));
        List<CompletedPart> parts = new ArrayList<>();
        try (var copies = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore inFlight = new Semaphore(COPIES_AT_ONCE);
            List<Future<CompletedPart>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int number = i + 1;
                String bytes = "bytes=" + i * range + "-" + (Math.min(size, (i + 1) * range) - 1);
                done.add(copies.submit(() -> {
                    inFlight.acquire();
                    try {
                        String etag = call(key, () -> s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                                .sourceKey(source).destinationBucket(bucket).destinationKey(target)
                                .uploadId(uploadId).partNumber(number).copySourceRange(bytes)))
                                .copyPartResult().eTag();
                        return CompletedPart.builder().partNumber(number).eTag(etag).build();
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<CompletedPart> part : done) {
                parts.add(part.get());
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new StorageException("cannot copy " + key, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted copying " + key, e);
        }
        return parts;
    }
}
