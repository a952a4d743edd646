package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAreNearestRank() {
        Latencies latencies = new Latencies();
        for (long v = 100; v >= 1; v--) {
            latencies.add(v);
        }
        long[] sorted = latencies.sorted();
        assertThat(Latencies.percentile(sorted, 50)).isEqualTo(50);
        assertThat(Latencies.percentile(sorted, 99)).isEqualTo(99);
        assertThat(Latencies.percentile(sorted, 99.9)).isEqualTo(100);
        assertThat(Latencies.percentile(sorted, 100)).isEqualTo(100);
        assertThat(Latencies.percentile(sorted, 0.5)).isEqualTo(1);
    }

    @Test
    void aSmallSampleRoundsUpToAValueItHolds() {
        long[] sorted = {10, 20, 30};
        assertThat(Latencies.percentile(sorted, 50)).isEqualTo(20);
        assertThat(Latencies.percentile(sorted, 99)).isEqualTo(30);
        assertThat(Latencies.percentile(new long[] {7}, 99)).isEqualTo(7);
    }

    @Test
    void mergesWorkersBeyondTheInitialCapacity() {
        Latencies all = new Latencies();
        for (int w = 0; w < 3; w++) {
            Latencies worker = new Latencies();
            for (int i = 0; i < 5000; i++) {
                worker.add(w * 5000L + i);
            }
            all.addAll(worker);
        }
        assertThat(all.count()).isEqualTo(15000);
        long[] sorted = all.sorted();
        assertThat(sorted[0]).isZero();
        assertThat(sorted[14999]).isEqualTo(14999);
        assertThat(Latencies.percentile(sorted, 50)).isEqualTo(7499);
    }

    @Test
    void refusesNoValuesAndPercentilesOutOfRange() {
        assertThatThrownBy(() -> Latencies.percentile(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Latencies.percentile(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Latencies.percentile(new long[] {1}, 101))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
