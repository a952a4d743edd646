package dev.berth.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WorkersTest {

    private static final List<Integer> ITEMS = IntStream.range(0, 200).boxed().toList();

    @Test
    void oneWorkerIsTheCallingThread() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();

        new Workers(1).forEach(ITEMS, item -> threads.add(Thread.currentThread()));

        assertThat(threads).containsExactly(Thread.currentThread());
    }

    @Test
    void severalWorkRunAtOnceAndTheResultsKeepTheItemsOrder() {
        // four items that can only finish together: each waits at the barrier until all four have arrived
        CyclicBarrier together = new CyclicBarrier(4);

        List<Integer> results = new Workers(4).map(ITEMS, item -> {
            if (item < 4) {
                try {
                    together.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the first four items did not run at the same time", e);
                }
            }
            return item * 2;
        });

        assertThat(results).isEqualTo(ITEMS.stream().map(item -> item * 2).toList());
    }

    @Test
    void theFirstFailureIsThrownAsItIsOnceNoWorkIsRunning() {
        IllegalArgumentException failure = new IllegalArgumentException("item 0");
        AtomicInteger running = new AtomicInteger();

        assertThatThrownBy(() -> new Workers(4).forEach(ITEMS, item -> {
            running.incrementAndGet();
            try {
                if (item == 0) {
                    throw failure;
                }
                Thread.onSpinWait();
            } finally {
                running.decrementAndGet();
            }
        })).isSameAs(failure);
        assertThat(running).hasValue(0);
    }

    @Test
    void anErrorIsThrownAsItIs() {
        AssertionError error = new AssertionError("item 3");

        assertThatThrownBy(() -> new Workers(2).forEach(ITEMS, item -> {
            if (item == 3) {
                throw error;
            }
        })).isSameAs(error);
    }
}
