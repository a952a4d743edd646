package dev.berth.storage.filesystem;

import dev.berth.storage.StorageException;
import dev.berth.storage.StorageWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.Semaphore;

/**
 * The file system driver's writer: appends to a file. Each time the file passes a multiple of {@link #WRITEBACK_BYTES}
 * it asks the kernel, from another thread, to start writing what it holds to disk, so that the fsync that makes a
 * finished upload durable ({@link FilesystemDriver#move}) finds little left to write instead of the whole blob. That
 * changes when bytes reach the disk, never what a 201 promises. Past {@link #WRITE_BEHIND_AFTER} bytes it hands the
 * rest to a {@link WriteBehind} thread, so that the caller receives and hashes the next bytes while the last ones are
 * copied into the page cache; {@link #size} waits for that thread, so every size it reports is in the file. Closing
 * does not wait for a writeback still running, which then closes the channel itself: what the writer wrote is in the
 * file, and an upload's chunk promises no more, so its answer need not wait for the disk.
 */
final class FileWriter implements StorageWriter {
    static final long WRITEBACK_BYTES = 32L << 20;
    /** Written at once up to here: a file of a few MiB (a layer, a manifest) does not pay for a thread. */
    static final long WRITE_BEHIND_AFTER = 4L << 20;

    private final String key;
    private final FileChannel channel;
    private final Semaphore writeBehindThreads;
    private final DataSync writeback;
    /** Guards the hand-over of the channel to a writeback that outlives the writer. */
    private final Object writebackLock = new Object();
    private boolean writebackRunning;
    private boolean closedDuringWriteback;
    private long sinceWriteback;
    private long writtenAtOnce;
    private WriteBehind behind;

    /** Appending from {@code start}, where the channel is positioned. */
    FileWriter(String key, FileChannel channel, long start, Semaphore writeBehindThreads) {
        this(key, channel, start, writeBehindThreads, written -> written.force(false));
    }

    /** With the writeback observed, for tests. */
    FileWriter(String key, FileChannel channel, long start, Semaphore writeBehindThreads, DataSync writeback) {
        this.key = key;
        this.channel = channel;
        this.writeBehindThreads = writeBehindThreads;
        this.writeback = writeback;
        // counted from the file's last boundary, so that an upload sent in smaller chunks is written back too
        this.sinceWriteback = start % WRITEBACK_BYTES;
    }

    @FunctionalInterface
    interface DataSync {
        void sync(FileChannel channel) throws IOException;
    }

    @Override
    public long size() {
        finishWriteBehind();
        try {
            return channel.position();
        } catch (IOException e) {
            throw FilesystemDriver.failure("measure", key, e);
        }
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        write(ByteBuffer.wrap(buffer, offset, length));
    }

    @Override
    public void write(ByteBuffer bytes) {
        int length = bytes.remaining();
        if (behind == null && writtenAtOnce >= WRITE_BEHIND_AFTER && writeBehindThreads.tryAcquire()) {
            try {
                behind = new WriteBehind(channel);
            } catch (RuntimeException | Error e) {
                writeBehindThreads.release();
                throw e;
            }
        }
        try {
            if (behind != null) {
                behind.write(bytes);
            } else {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                writtenAtOnce += length;
            }
        } catch (IOException e) {
            throw FilesystemDriver.failure("write", key, e);
        }
        sinceWriteback += length;
        if (sinceWriteback >= WRITEBACK_BYTES) {
            synchronized (writebackLock) {
                if (!writebackRunning) {
                    writebackRunning = true;
                    sinceWriteback = 0;
                    Thread.ofVirtual().name("writeback").start(this::startWriteback);
                }
            }
        }
    }

    private void finishWriteBehind() {
        if (behind == null) {
            return;
        }
        WriteBehind finishing = behind;
        behind = null;
        writtenAtOnce = 0;
        try {
            finishing.finish();
        } catch (IOException e) {
            throw FilesystemDriver.failure("write", key, e);
        } finally {
            writeBehindThreads.release();
        }
    }

    private void startWriteback() {
        try {
            writeback.sync(channel);
        } catch (IOException e) {
            // only an early start: the fsync before the data is made visible reports any real failure
        } finally {
            boolean closed;
            synchronized (writebackLock) {
                writebackRunning = false;
                closed = closedDuringWriteback;
            }
            if (closed) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // nothing is lost: every write went into the file before the writer was closed
                }
            }
        }
    }

    @Override
    public void truncate(long size) {
        try {
            finishWriteBehind();
        } catch (StorageException e) {
            // what failed to be written is cut off below all the same
        }
        try {
            channel.truncate(size);
            channel.position(size);
        } catch (IOException e) {
            throw FilesystemDriver.failure("truncate", key, e);
        }
    }

    @Override
    public void close() {
        try {
            finishWriteBehind();
        } finally {
            boolean handedOver;
            synchronized (writebackLock) {
                handedOver = closedDuringWriteback = writebackRunning;
            }
            if (!handedOver) {
                try {
                    channel.close();
                } catch (IOException e) {
                    throw FilesystemDriver.failure("close", key, e);
                }
            }
        }
    }
}
