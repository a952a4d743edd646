package dev.berth.storage.s3;

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
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;

/**
 * Writes a file as S3 lets one be written: whole, or as the parts of a multipart upload.
 *
 * <p>A file opened to be replaced is stored when the writer closes, whole or not at all. A file opened to be appended
 * to (an appendable key: an upload's data) is a multipart upload left open from one writer to the next, as
 * distribution keeps it: each writer adds parts, and the driver completes the upload when the file is read or
 * moved. Every part but the last must hold 5 MiB, so a writer that finds the last part smaller completes the upload
 * first and starts another from the object that makes, copied within the bucket (or, when smaller than a part may
 * be, read back and sent again) as its first parts. A file that was stored whole is appended to the same way.
 *
 * <p>Bytes wait in a spool file on local disk until they fill a part, so that memory stays the same whatever the part
 * size. What can be cut ({@link #truncate}) is what this writer wrote: back into the spool freely, and back to where
 * it began however much it had sent (parts it added to an upload are left out by completing the upload without
 * them).
 */
final class S3Writer implements StorageWriter {

    private final S3Driver driver;
    private final String key;
    private final String name;
    /** Whether the upload is left open when this writer closes: an appendable key opened to append. */
    private final boolean keepsOpen;
    /** The file's size when opened (0 when it is replaced or new). */
    private final long base;
    /** The upload this writer found open, and its parts; null and empty when it found an object. */
    private final String foundId;
    private final List<CompletedPart> found;
    /** The open upload's last part is too small to be followed: it is completed before anything is added. */
    private boolean completeFirst;

    /** The upload parts go to, once there is one; found open, or started by this writer. */
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    /** Whether the object the file is makes the upload's first parts, copied, before the parts written here. */
    private boolean copyObject;
    private FileChannel spool;
    /** The file's offset of the spool's first byte: what comes before it is in parts or in the copied object. */
    private long spoolStart;
    private long size;
    /** Whether closing must store anything: bytes were written, or the file is to be created or replaced. */
    private boolean changed;
    /** Whether the file is created or replaced: closing stores it even with nothing written. */
    private boolean replacing;

    S3Writer(S3Driver driver, String key, String name, boolean append) {
        this.driver = driver;
        this.key = key;
        this.name = name;
        this.keepsOpen = append && driver.appendable(key);
        Optional<S3Driver.OpenUpload> open = keepsOpen ? driver.takeUpload(key, name) : Optional.empty();
        if (!append) {
            driver.abandonUploads(key, name); // the file starts over: parts of an earlier one must not come back
        }
        if (open.isPresent()) {
            foundId = open.get().id();
            uploadId = foundId;
            found = open.get().completedParts();
            parts.addAll(found);
            base = open.get().size();
            completeFirst = open.get().parts().getLast().size() < S3Driver.MIN_PART;
            spoolStart = base;
            changed = false;
        } else {
            foundId = null;
            found = List.of();
            long existing = append ? driver.objectSize(key, name) : -1;
            base = Math.max(existing, 0);
            replacing = existing < 0;
            changed = replacing;
            fromObject();
        }
        size = base;
    }

    /** Parts will follow the object the file is now: copied when it can be a part, else read into the spool. */
    private void fromObject() {
        uploadId = null;
        parts.clear();
        copyObject = base >= S3Driver.MIN_PART;
        spoolStart = copyObject ? base : 0;
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
                // no part larger than the part size, however large the buffer
                int room = (int) Math.min(buffer.remaining(), driver.partSize - channel.position());
                int n = channel.write(buffer.slice(buffer.position(), room));
                buffer.position(buffer.position() + n);
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
            throw new IllegalArgumentException("only what this writer wrote can be cut: " + newSize
                    + " is outside " + base + ".." + size);
        }
        try {
            if (spool != null && newSize >= spoolStart) {
                spool.truncate(newSize - spoolStart);
                size = newSize;
            } else if (newSize == base) {
                undo();
            } else {
                throw new StorageException("cannot cut " + key + " back into parts already sent");
            }
        } catch (IOException e) {
            throw new StorageException("cannot cut the spool of " + key, e);
        }
    }

    /** Takes back everything this writer wrote. */
    private void undo() {
        closeSpool();
        boolean started = uploadId != null && !uploadId.equals(foundId);
        if (started || uploadId != null && parts.size() > found.size()) {
            if (!started) {
                driver.complete(key, name, uploadId, found); // the parts added are left out
            } else {
                driver.abort(name, uploadId); // started here: the object it was to follow stays as it was
            }
            fromObject();
        }
        size = base;
        changed = replacing;
    }

    @Override
    public void close() {
        try {
            if (!changed) {
                return;
            }
            FileChannel channel = spool();
            if (keepsOpen && !replacing) {
                if (channel.size() == 0 && (base > 0 || uploadId != null)) {
                    return; // nothing to add
                }
                if (uploadId != null || copyObject || channel.size() >= S3Driver.MIN_PART) {
                    sendPart(); // left open for the next writer; the driver completes it when the file is read
                    return;
                }
            }
            if (uploadId == null && !copyObject) {
                RequestBody body = body(channel);
                driver.call(key, () -> driver.s3.putObject(driver.put(name), body));
                return;
            }
            if (channel.size() > 0 || parts.isEmpty()) {
                sendPart();
            }
            driver.complete(key, name, uploadId, parts);
        } catch (IOException e) {
            throw new StorageException("cannot read the spool of " + key, e);
        } finally {
            closeSpool();
        }
    }

    /**
     * The spool, made at the first write. An open upload whose last part is small is completed first, and an object
     * too small to be a part is read into the spool.
     */
    private FileChannel spool() throws IOException {
        if (spool == null) {
            if (completeFirst) {
                driver.complete(key, name, uploadId, found);
                completeFirst = false;
                fromObject();
            }
            spool = FileChannel.open(Files.createTempFile(driver.spoolDirectory, "berth-s3-part-", ""),
                    StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
            if (uploadId == null && !copyObject && base > 0) {
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

    /** Sends the spool as the next part and empties it, starting an upload first if there is none. */
    private void sendPart() throws IOException {
        FileChannel channel = spool();
        if (uploadId == null) {
            CreateMultipartUploadRequest create = driver.options.applyTo(CreateMultipartUploadRequest.builder()
                    .bucket(driver.bucket).key(name)).build();
            uploadId = driver.call(key, () -> driver.s3.createMultipartUpload(create)).uploadId();
            if (copyObject) {
                parts.addAll(driver.copyParts(key, name, base, name, uploadId));
            }
        }
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
