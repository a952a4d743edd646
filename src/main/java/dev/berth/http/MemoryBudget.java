package dev.berth.http;

import java.util.concurrent.Semaphore;

/**
 * Heap for request bodies that are held whole while they are parsed (manifests, up to 4 MiB each). A request
 * reserves what it will take before it reads its body and waits while other requests hold the rest, so that many
 * large manifests pushed at once take turns instead of exhausting the heap. Reservations are served in order, so
 * a large one is not overtaken forever by small ones. Thread-safe.
 */
final class MemoryBudget {

    /** Counted in KiB, so that a budget of any heap fits the semaphore's {@code int}. */
    private final Semaphore kib;
    private final int totalKib;

    MemoryBudget(long bytes) {
        totalKib = Math.clamp(bytes / 1024, 1, Integer.MAX_VALUE);
        kib = new Semaphore(totalKib, true);
    }

    /** Half of the most the heap may grow to: the rest is for everything else the server holds. */
    static MemoryBudget halfOfTheHeap() {
        return new MemoryBudget(Runtime.getRuntime().maxMemory() / 2);
    }

    /**
     * Waits until {@code bytes} are free, and holds them until the reservation is closed. A reservation larger
     * than the whole budget takes all of it, rather than waiting forever.
     */
    Reservation reserve(long bytes) {
        int wanted = Math.clamp((bytes + 1023) / 1024, 1, totalKib);
        kib.acquireUninterruptibly(wanted);
        return () -> kib.release(wanted);
    }

    interface Reservation extends AutoCloseable {
        @Override
        void close();
    }
}
