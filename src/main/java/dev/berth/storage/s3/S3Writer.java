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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

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
 * <p>Bytes wait in spool files on local disk until they fill a part, so that memory stays the same whatever the part
 * size. A full part is held back until the bytes after it can make a part of their own; a writer that closes before
 * then sends both as one larger part. So a writer that wrote at least 5 MiB leaves its upload ending in a part that
 * can be followed, and the next writer (the next chunk of a blob upload) adds to it without completing and copying
 * the upload first. What can be cut ({@link #truncate}) is what this writer wrote: back into the spools freely, and
 * back to where it began however much it had sent (parts it added to an upload are left out by completing the upload
 * without them).
 */
final class S3Writer implements StorageWriter {

    private final S3Driver driver;
    private final MultipartUploads uploads;
    private final String key;
    private final String name;
    /** Whether the upload is left open when this writer closes: an appendable key opened to append. */
    private final boolean keepsOpen;
    /** The file's size when opened (0 when it is created or replaced). */
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
    /** The bytes after the held part, fewer than a part. */
    private FileChannel spool;
    /** A full part not sent yet: it goes once the spool holds S3's smallest part, or with the spool at close. */
    private FileChannel held;
    /** The file's offset of the first byte not sent: what comes before it is in parts or in the copied object. */
    private long spoolStart;
    private long size;
    /** Whether closing must store anything: bytes were written, or the file is to be created or replaced. */
    private boolean changed;
    /** Whether the file is created or replaced: closing stores it even with nothing written. */
    private boolean replacing;

    S3Writer(S3Driver driver, String key, String name, boolean append) {
        this.driver = driver;
        this.uploads = driver.uploads;
        this.key = key;
        this.name = name;
        this.keepsOpen = append && uploads.appendable(key);
        MultipartUploads.Found state = keepsOpen ? uploads.take(key, name)
                : new MultipartUploads.Found(append ? uploads.head(key, name) : Optional.empty(), Optional.empty());
        Optional<MultipartUploads.OpenUpload> open = state.upload();
        if (!append) {
            uploads.abandon(key, name); // the file starts over: parts of an earlier one must not come back
        }
        if (open.isPresent()) {
            foundId = open.get().id();
            uploadId = foundId;
            found = open.get().completedParts();
            parts.addAll(found);
            base = open.get().size();
            completeFirst = open.get().parts().getLast().size() < MultipartUploads.MIN_PART;
            spoolStart = base;
            changed = false;
        } else {
            foundId = null;
            found = List.of();
            base = append ? state.size() : 0;
            if (base < 0) {
                throw new NotFoundException(key);
            }
            replacing = !append;
            changed = replacing;
            fromObject();
        }
        size = base;
    }

    /** Parts will follow the object the file is now: copied when it can be a part, else read into the spool. */
    private void fromObject() {
        uploadId = null;
        parts.clear();
        copyObject = base >= MultipartUploads.MIN_PART;
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
                // no spool larger than the part size, however large the buffer
                int room = (int) Math.min(buffer.remaining(), driver.partSize - channel.position());
                int n = channel.write(buffer.slice(buffer.position(), room));
                buffer.position(buffer.position() + n);
                size += n;
                changed = true;
                if (held != null && channel.position() >= MultipartUploads.MIN_PART) {
                    sendPart(List.of(held)); // what follows it can be a part now, whatever else comes
                    held.close();
                    held = null;
                }
                if (channel.position() >= driver.partSize) {
                    held = channel;
                    spool = channel = newSpool();
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
            long inHeld = held == null ? 0 : held.size();
            if (spool != null && newSize >= spoolStart + inHeld) {
                spool.truncate(newSize - spoolStart - inHeld);
                size = newSize;
            } else if (held != null && newSize >= spoolStart) {
                spool.close();
                spool = held;
                held = null;
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
                uploads.complete(key, name, uploadId, found); // the parts added are left out
            } else {
                uploads.abort(name, uploadId); // started here: the object it was to follow stays as it was
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
            spool();
            List<FileChannel> unsent = held == null ? List.of(spool) : List.of(held, spool);
            long unsentSize = size - spoolStart;
            if (keepsOpen) {
                if (unsentSize == 0 && (base > 0 || uploadId != null)) {
                    return; // nothing to add
                }
                if (uploadId != null || copyObject || unsentSize >= MultipartUploads.MIN_PART) {
                    sendPart(unsent); // left open for the next writer; the driver completes it when the file is read
                    return;
                }
            }
            if (uploadId == null && !copyObject) {
                RequestBody body = SpoolBody.of(unsent);
                driver.putObject(key, name, body);
                return;
            }
            if (unsentSize > 0 || parts.isEmpty()) {
                sendPart(unsent);
            }
            uploads.complete(key, name, uploadId, parts);
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
                uploads.complete(key, name, uploadId, found);
                completeFirst = false;
                fromObject();
            }
            spool = newSpool();
            if (uploadId == null && !copyObject && base > 0) {
                try (InputStream old = driver.reader(key, 0)) {
                    old.transferTo(Channels.newOutputStream(spool));
                }
            }
        }
        return spool;
    }

    private FileChannel newSpool() throws IOException {
        return FileChannel.open(Files.createTempFile(driver.spoolDirectory, "berth-s3-part-", ""),
                StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
    }

    private void closeSpool() {
        for (FileChannel channel : Arrays.asList(held, spool)) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // deleted on close; a file the close failed on is left in the temporary directory
                }
            }
        }
        held = null;
        spool = null;
    }

    /** Sends the files' bytes as the next part and empties them, starting an upload first if there is none. */
    private void sendPart(List<FileChannel> files) throws IOException {
        if (uploadId == null) {
            uploadId = uploads.start(key, name);
            if (copyObject) {
                parts.addAll(uploads.copyParts(key, name, base, name, uploadId));
            }
        }
        RequestBody body = SpoolBody.of(files);
        parts.add(uploads.uploadPart(key, name, uploadId, parts.size() + 1, body));
        spoolStart += body.optionalContentLength().orElseThrow();
        for (FileChannel file : files) {
            file.truncate(0);
        }
    }
}
