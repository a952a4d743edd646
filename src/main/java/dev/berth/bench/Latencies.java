package dev.berth.bench;

import java.util.Arrays;

/**
 * Latencies of one worker's requests in nanoseconds, merged after the run for percentiles. Not thread-safe: each
 * worker keeps its own and they are merged once the workers have stopped.
 */
final class Latencies {

    private long[] values = new long[4096];
    private int count;

    void add(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = nanos;
    }

    int count() {
        return count;
    }

    void addAll(Latencies other) {
        if (count + other.count > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, count + other.count));
        }
        System.arraycopy(other.values, 0, values, count, other.count);
        count += other.count;
    }

    /** The sorted values, for {@link #percentile}. */
    long[] sorted() {
        long[] copy = Arrays.copyOf(values, count);
        Arrays.sort(copy);
        return copy;
    }

    /**
     * The nearest-rank percentile of sorted values: the smallest value such that at least {@code p} percent of
     * the values are at most it. {@code p} in (0, 100]; the values must be sorted and not empty.
     */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile out of (0, 100]: " + p);
        }
        int rank = (int) Math.ceil(p * sorted.length / 100.0);
        return sorted[Math.max(rank, 1) - 1];
    }
}
