package dev.berth.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that the buffers of blob responses being sent may take. A response whose client does not read
 * holds its buffer for as long as it does not (over HTTP/2, a stream whose window stays at zero): 128 such streams
 * held the JVM's 64 MiB of direct memory, and every other download failed until they went. Past the budget a
 * response gets a small buffer: it goes slower, and nothing fails. Approximate (two responses may both pass the
 * check). Thread-safe.
 */
final class SendBuffers {

    /**
     * JVM-wide, as direct memory is: half the launcher's, which the JVM sizes as the heap; Jetty's pool keeps up to
     * 32 MiB more of free buffers.
     */
    static final SendBuffers DIRECT = new SendBuffers(16L << 20);
    /**
     * The heap that bodies streamed from storage without files (S3) may take: an eighth of the launcher's 64 MiB,
     * which 256 such pulls at once, the S3 client's most, would otherwise fill.
     */
    static final SendBuffers HEAP = new SendBuffers(8L << 20);
    static final int SMALL = 16 * 1024;

    private final long budget;
    private final AtomicLong inUse = new AtomicLong();

    SendBuffers(long budget) {
        this.budget = budget;
    }

    /** The capacity to take for a buffer of {@code wanted} bytes; give it back with {@link #release}. */
    int reserve(int wanted) {
        int granted = wanted <= SMALL || inUse.get() + wanted <= budget ? wanted : SMALL;
        inUse.addAndGet(granted);
        return granted;
    }

    void release(int reserved) {
        inUse.addAndGet(-reserved);
    }
}
