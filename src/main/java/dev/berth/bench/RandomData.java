package dev.berth.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Random content for a run: seeded from {@link SecureRandom} so no two runs (and no two blobs of one run) share
 * content, and no answer can come from deduplication. Generated fast enough (a splittable PRNG, eight bytes at a
 * time) that a gibibyte takes well under a second, always before the timing starts. Thread-safe.
 */
final class RandomData {

    private final SplittableRandom seeds;

    RandomData() {
        this(new SecureRandom().nextLong());
    }

    /** A fixed seed, for tests: the same seed gives the same content. */
    RandomData(long seed) {
        this.seeds = new SplittableRandom(seed);
    }

    /** Fills the segment with new random bytes. */
    void fill(MemorySegment segment) {
        SplittableRandom random;
        synchronized (this) {
            random = seeds.split();
        }
        fill(segment, random);
    }

    /** A new off-heap buffer of {@code size} random bytes, freed when {@code arena} closes. */
    ByteBuffer offHeap(Arena arena, long size) {
        MemorySegment segment = arena.allocate(size, 8);
        fill(segment);
        return segment.asByteBuffer();
    }

    private static void fill(MemorySegment segment, SplittableRandom random) {
        long size = segment.byteSize();
        long whole = size & ~7L;
        for (long at = 0; at < whole; at += 8) {
            segment.set(ValueLayout.JAVA_LONG_UNALIGNED, at, random.nextLong());
        }
        for (long at = whole; at < size; at++) {
            segment.set(ValueLayout.JAVA_BYTE, at, (byte) random.nextInt());
        }
    }

    /** A short random identifier, for repository names unique to a run. */
    synchronized String id() {
        return Long.toHexString(seeds.nextLong() | Long.MIN_VALUE).substring(0, 10);
    }
}
