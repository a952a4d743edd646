package dev.berth.cli;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the serial collector's old generation once what the young collections promoted into it has grown the
 * heap in use by a few MiB since the last time. A connection's state lives as long as its client keeps it (64 of
 * them for a benchmark's 10 s), long enough to be promoted, and is garbage in the old generation once the client
 * has gone; the serial collector collects that generation only when the heap has reached its cap, so every wave
 * of clients grew the part of the heap the server had touched: 6 MiB live, 20-26 MiB in use after the comparison's
 * load. Other collectors reclaim their old generation as they go, or have been chosen by the user: this one only.
 *
 * <p>The heap in use is read a few times a second. Under load the young collections empty the young generation
 * many times a second, so use that stays above the bound for {@value #SAMPLES} readings in a row is the old
 * generation's; when the server is quiet it may be the young generation filling slowly, which a full collection
 * empties as well. The JVM's management beans could tell the old generation's use exactly, and when a collection
 * ran, but loading them adds half a MiB to an idle server; they are asked which collector runs only once a
 * collection is due.
 */
record OldGenerationLimit(long headroom, Duration period) implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(OldGenerationLimit.class);
    private static final int SAMPLES = 8;

    /**
     * Watches the heap from a virtual thread of its own, reading its use every {@code period}: whenever it has
     * stayed {@code headroom} bytes (or as much again, if more) above what the last full collection left, and the
     * JVM runs the serial collector, collects in full.
     */
    static void start(long headroom, Duration period) {
        // itself, not a method reference, which the JVM would make at every start: the start-up cache holds only
        // what its training run linked, and that run does not start this
        Thread.ofVirtual().name("old-generation-limit").start(new OldGenerationLimit(headroom, period));
    }

    @Override
    public void run() {
        try {
            long bound = boundOver(inUse());
            int above = 0;
            while (true) {
                Thread.sleep(period);
                long inUse = inUse();
                above = inUse >= bound ? above + 1 : 0;
                if (above == SAMPLES) {
                    if (!serialCollector()) {
                        return;
                    }
                    System.gc(); // returns once the collection is done, with the serial collector
                    long left = inUse();
                    LOG.debug("old generation collected: {} -> {} KiB of heap in use", inUse >> 10, left >> 10);
                    bound = boundOver(left);
                    above = 0;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The next bound: what is in use now (what lives, after a full collection) and as much again, at least the
     * headroom, so that a heap with much more to keep than a registry's is not collected for every few MiB.
     */
    private long boundOver(long inUse) {
        return inUse + Math.max(headroom, inUse);
    }

    private static long inUse() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static boolean serialCollector() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .anyMatch(c -> c.getName().equals("MarkSweepCompact"));
    }
}
