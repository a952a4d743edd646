package dev.berth.storage;

import java.nio.ByteBuffer;

/** Appends to one file. Not thread-safe: one writer belongs to one request at a time. */
public interface StorageWriter extends AutoCloseable {

    /** Bytes in the file so far, including what this writer appended. */
    long size();

    void write(byte[] buffer, int offset, int length);

    /** Appends the buffer's remaining bytes, leaving it with none; drivers write direct buffers without a copy. */
    default void write(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            buffer.position(buffer.limit());
            return;
        }
        byte[] copy = new byte[Math.min(buffer.remaining(), 256 * 1024)];
        while (buffer.hasRemaining()) {
            int n = Math.min(copy.length, buffer.remaining());
            buffer.get(copy, 0, n);
            write(copy, 0, n);
        }
    }

    /**
     * Cuts the file back to {@code size}, undoing a failed append: at least the size the file had when this
     * writer opened it (an object store cannot cut what an earlier writer stored).
     */
    void truncate(long size);

    @Override
    void close();
}
