package dev.berth.cli;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link OldGenerationLimitTest} in a JVM of its own, with the collector under test and objects promoted at
 * their first young collection: makes 24 MiB of garbage in the old generation, 1 MiB at a time, and prints how many
 * full collections ran and the most the old generation held.
 */
public final class OldGenerationLimitProbe {

    private static final int ROUNDS = 24;
    /** The serial collector's full collections, and G1's. */
    private static final List<String> FULL_COLLECTORS = List.of("MarkSweepCompact", "G1 Old Generation");
    /** Where the young garbage goes, so that the compiler cannot leave its allocation out. */
    static volatile byte[] sink;

    public static void main(String[] args) throws InterruptedException {
        if (args[0].equals("limit")) {
            OldGenerationLimit.start(4 << 20, Duration.ofMillis(2));
        }
        MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isUsageThresholdSupported())
                .findFirst().orElseThrow();
        long most = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<byte[]> held = new ArrayList<>();
            for (int i = 0; i < 1024; i++) {
                held.add(new byte[1024]);
            }
            for (int i = 0; i < 512; i++) { // 32 MiB of young garbage: young collections, which promote what is held
                sink = new byte[64 << 10];
            }
            if (held.size() != 1024) { // uses the list after the young garbage, so that it is still held then
                throw new AssertionError();
            }
            most = Math.max(most, old.getUsage().getUsed());
            Thread.sleep(50); // a server promotes over minutes, not in a loop: the limit's thread gets its turn
        }
        Thread.sleep(200); // the limit's thread may still be collecting after the last round
        long full = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(c -> FULL_COLLECTORS.contains(c.getName()))
                .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .sum();
        System.out.printf("full=%d mostMiB=%d%n", full, most >> 20);
    }
}
