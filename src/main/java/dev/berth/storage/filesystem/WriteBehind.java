package dev.berth.storage.filesystem;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Appends to a file from a platform thread of its own, so that the kernel's copy into the page cache, the costliest
 * step of a large upload on this kind of VM, runs on one core while the caller reads and hashes the next bytes on
 * another. The caller's bytes are copied into a few small blocks, which stay hot in the CPU's caches (1 GiB pushes
 * measured no faster with 4 MiB blocks than without this class); the thread writes each full block and hands it
 * back. One caller at a time, until {@link #finish}.
 */
final class WriteBehind {

    static final int BLOCK_SIZE = 512 << 10;
    static final int BLOCKS = 4;
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final FileChannel channel;
    private final Arena arena = Arena.ofShared();
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BLOCKS);
    // one place more than there are blocks, so that the end marker always fits without waiting
    private final BlockingQueue<ByteBuffer> filled = new ArrayBlockingQueue<>(BLOCKS + 1);
    private final Thread thread;
    private volatile IOException failure;
    private ByteBuffer current;

    WriteBehind(FileChannel channel) {
        this.channel = channel;
        for (int i = 0; i < BLOCKS; i++) {
            free.add(arena.allocate(BLOCK_SIZE).asByteBuffer());
        }
        try {
            thread = Thread.ofPlatform().daemon().name("write-behind").start(this::run);
        } catch (RuntimeException | Error e) {
            arena.close(); // a shared arena's memory is freed only by closing it
            throw e;
        }
    }

    /** Takes the buffer's remaining bytes, leaving it with none; throws when an earlier block failed to write. */
    void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            if (current == null) {
                current = nextFree();
            }
            int n = Math.min(current.remaining(), bytes.remaining());
            current.put(current.position(), bytes, bytes.position(), n);
            current.position(current.position() + n);
            bytes.position(bytes.position() + n);
            if (!current.hasRemaining()) {
                filled.add(current.flip());
                current = null;
            }
        }
    }

    /**
     * Writes out what it holds, ends the thread and frees the blocks: every byte taken is then in the file, or the
     * first write's failure is thrown. Waits through interrupts, so that the file never changes afterwards.
     */
    void finish() throws IOException {
        if (current != null && current.position() > 0) {
            filled.add(current.flip());
        }
        current = null;
        filled.add(END);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        arena.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private ByteBuffer nextFree() throws IOException {
        ByteBuffer block;
        try {
            block = free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to write");
        }
        if (failure != null) {
            free.add(block);
            throw failure;
        }
        return block.clear();
    }

    private void run() {
        while (true) {
            ByteBuffer block;
            try {
                block = filled.take();
            } catch (InterruptedException e) {
                continue; // only finish() ends the thread: a block left unwritten would be lost
            }
            if (block == END) {
                return;
            }
            if (failure == null) {
                try {
                    while (block.hasRemaining()) {
                        channel.write(block);
                    }
                } catch (IOException | RuntimeException e) {
                    // blocks still come back after a failure, so that the caller never waits for one in vain
                    failure = e instanceof IOException io ? io : new IOException(e);
                }
            }
            free.add(block);
        }
    }
}
