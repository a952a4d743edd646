package dev.berth.storage.s3;

import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageException;
import dev.berth.storage.StorageWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;

/**
 * Appends to an object, which S3 cannot do in place: the object is written anew, as a multipart upload whose first
 * part is the old object, copied by S3 itself (or, when smaller than a part may be, read back and sent again), and
 * whose other parts are the bytes appended. The old object stays what readers see until {@link #close} completes
 * the upload, which makes the new one appear whole, so a failed or killed writer leaves the file as it was.
 *
 * <p>Bytes wait in a spool file on local disk until they fill a part, so that memory stays the same whatever the
 * part size. What can be cut ({@link #truncate}) is what this writer appended: back into the spool freely, and
 * back to where it began however much it had sent.
 */
final class S3Writer implements StorageWriter {

    private final S3Driver driver;
    private final String key;
    private final String name;
    /** The object's size when opened for appending (0 for a new or truncated file). */
    private final long base;
    /** Whether the old object becomes the upload's first part by a copy, else it is read into the spool. */
    private final boolean copyBase;
    /** Whether closing must write the object although nothing was appended: it is created or truncated. */
    private final boolean replacing;

    private FileChannel spool;
    /** The file's offset of the spool's first byte: the parts before it are sent. */
    private long spoolStart;
    private long size;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private boolean changed;

    S3Writer(S3Driver driver, String key, String name, boolean append) {
        this.driver = driver;
        this.key = key;
        this.name = name;
        long existing = 0;
        if (append) {
            try {
                existing = driver.call(key, () -> driver.s3.headObject(b -> b.bucket(driver.bucket).key(name)))
                        .contentLength();
            } catch (NotFoundException e) {
                existing = -1;
            }
        }
        this.replacing = existing < 0 || !append;
        this.base = Math.max(existing, 0);
        this.copyBase = base >= S3Driver.MIN_PART;
        this.changed = replacing;
        this.size = base;
        this.spoolStart = copyBase ? base : 0;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        write(ByteBuffer.wrap(buffer, offset, length));
    }

    @Override
    public void write(ByteBuffer buffer) {
        try {
            FileChannel channel = spool();
            while (buffer.hasRemaining()) {
                int n = channel.write(buffer);
                size += n;
                changed = true;
                if (channel.position() >= driver.partSize) {
                    sendPart();
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot spool a part of " + key, e);
        }
    }

    @Override
    public void truncate(long newSize) {
        if (newSize < base || newSize > size) {
            throw new IllegalArgumentException("only what this writer appended can be cut: " + newSize
                    + " is outside " + base + ".." + size);
        }
        try {
            if (newSize == base && !replacing) {
                reset(); // all of it undone: the object stays as it was
            } else if (spool != null && newSize >= spoolStart) {
                spool.truncate(newSize - spoolStart);
                size = newSize;
            } else if (newSize == base) {
                reset();
                changed = true;
            } else {
                throw new StorageException("cannot cut " + key + " back into parts already sent");
            }
        } catch (IOException e) {
            throw new StorageException("cannot cut the spool of " + key, e);
        }
    }

    @Override
    public void close() {
        try {
            if (!changed) {
                return;
            }
            if (uploadId == null && !copyBase) {
                FileChannel channel = spool();
                RequestBody body = body(spool());
                driver.call(key, () -> driver.s3.putObject(driver.put(name), body));
                return;
            }
            begin();
            if (spool != null && spool.size() > 0 || parts.isEmpty()) {
                sendPart();
            }
            driver.complete(key, name, uploadId, parts);
            uploadId = null;
        } catch (IOException e) {
            throw new StorageException("cannot read the spool of " + key, e);
        } finally {
            if (uploadId != null) {
                driver.abort(name, uploadId);
            }
            closeSpool();
        }
    }

    /** Undoes everything this writer did. */
    private void reset() throws IOException {
        if (uploadId != null) {
            driver.abort(name, uploadId);
            uploadId = null;
        }
        parts.clear();
        closeSpool();
        spoolStart = copyBase ? base : 0;
        size = base;
        changed = false;
    }

    /** The spool, made at the first write; an object too small to be a part is read into it first. */
    private FileChannel spool() throws IOException {
        if (spool == null) {
            spool = FileChannel.open(Files.createTempFile(driver.spoolDirectory, "berth-s3-part-", ""), StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            if (!copyBase && base > 0) {
                try (InputStream old = driver.reader(key, 0)) {
                    old.transferTo(Channels.newOutputStream(spool));
                }
            }
        }
        return spool;
    }

    private void closeSpool() {
        if (spool != null) {
            try {
                spool.close();
            } catch (IOException e) {
                // deleted on close; a file the close failed on is left in the temporary directory
            }
            spool = null;
        }
    }

    /** Starts the multipart upload, with the old object as its first part when it is large enough to be one. */
    private void begin() {
        if (uploadId != null) {
            return;
        }
        CreateMultipartUploadRequest create = driver.options.applyTo(CreateMultipartUploadRequest.builder()
                .bucket(driver.bucket).key(name)).build();
        uploadId = driver.call(key, () -> driver.s3.createMultipartUpload(create)).uploadId();
        if (copyBase) {
            parts.addAll(driver.copyParts(key, name, base, name, uploadId));
        }
    }

    /** Sends the spool as the next part and empties it. */
    private void sendPart() throws IOException {
        begin();
        FileChannel channel = spool();
        int number = parts.size() + 1;
        long length = channel.size();
        RequestBody body = body(channel);
        String etag = driver.call(key, () -> driver.s3.uploadPart(b -> b.bucket(driver.bucket).key(name)
                .uploadId(uploadId).partNumber(number).contentLength(length), body)).eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        spoolStart += length;
        channel.truncate(0);
    }

    /**
     * The spool's bytes, read from its start for every attempt the client makes, without closing it: the file was
     * opened to be deleted on close, so it has no name to open it by again.
     */
    private static RequestBody body(FileChannel channel) throws IOException {
        long length = channel.size();
        return RequestBody.fromContentProvider(() -> new InputStream() {
            private long at;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) throws IOException {
                if (at >= length) {
                    return -1;
                }
                int n = channel.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(count, length - at)), at);
                at += Math.max(n, 0);
                return n;
            }
        }, length, "application/octet-stream");
    }
}
