package dev.berth.storage;

/** Appends to one file. Not thread-safe: one writer belongs to one request at a time. */
public interface StorageWriter extends AutoCloseable {

    /** Bytes in the file so far, including what this writer appended. */
    long size();

    void write(byte[] buffer, int offset, int length);

    /** Cuts the file back to {@code size}, undoing a failed append. */
    void truncate(long size);

    @Override
    void close();
}
