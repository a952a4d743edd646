package dev.berth.http;

import dev.berth.api.ApiException;
import dev.berth.api.ErrorCode;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Heap for request bodies that are held whole while they are parsed (manifests, up to 4 MiB each). A request's
 * reservation grows with what it holds, the bytes that have arrived and then what parsing them takes, so that a
 * client announcing a large body and sending it slowly holds only what it has sent, and many large manifests
 * pushed at once take turns instead of exhausting the heap. Room is given in order, so a large reservation is not
 * overtaken forever by small ones; one that finds no room within the wait fails with {@code 429 TOOMANYREQUESTS}
 * rather than waiting on reservations that may themselves be waiting. Thread-safe.
 */
final class MemoryBudget {

    static final Duration WAIT = Duration.ofSeconds(10);

    /** Counted in KiB, so that a budget of any heap fits the semaphore's {@code int}. */
    private final Semaphore kib;
    private final int totalKib;
    private final Duration wait;

    MemoryBudget(long bytes) {
        this(bytes, WAIT);
    }

    MemoryBudget(long bytes, Duration wait) {
        this.totalKib = Math.clamp(bytes / 1024, 1, Integer.MAX_VALUE);
        this.kib = new Semaphore(totalKib, true);
        this.wait = wait;
    }

    /** Half of the most the heap may grow to: the rest is for everything else the server holds. */
    static MemoryBudget halfOfTheHeap() {
        return new MemoryBudget(Runtime.getRuntime().maxMemory() / 2);
    }

    /** An empty reservation, to grow as the request's body arrives; close it when the body is let go. */
    Reservation reserve() {
        return new Reservation();
    }

    /** What one request holds. Not thread-safe: it belongs to the request's thread. */
    final class Reservation implements AutoCloseable {
        private int heldKib;

        private Reservation() {
        }

        /**
         * Grows the reservation to {@code bytes} in all, waiting for room at most the budget's wait. A reservation
         * larger than the whole budget takes all of it, rather than waiting forever.
         */
        void growTo(long bytes) {
            int wanted = Math.clamp((bytes + 1023) / 1024, 1, totalKib) - heldKib;
            if (wanted <= 0) {
                return;
            }
            boolean granted;
            try {
                granted = kib.tryAcquire(wanted, wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                granted = false;
            }
            if (!granted) {
                throw new ApiException(ErrorCode.TOOMANYREQUESTS,
                        "too many manifests are being received at once; try again");
            }
            heldKib += wanted;
        }

        @Override
        public void close() {
            kib.release(heldKib);
            heldKib = 0;
        }
    }
}
