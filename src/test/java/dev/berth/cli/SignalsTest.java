package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SignalsTest {

    @Test
    void signalsAtOnceStartTheStopOnceAndFailNone() throws Exception {
        int handlers = 4;
        try (ExecutorService pool = Executors.newFixedThreadPool(handlers)) {
            for (int round = 0; round < 300; round++) {
                AtomicInteger stops = new AtomicInteger();
                Thread stopping = Thread.ofPlatform().unstarted(stops::incrementAndGet);
                Runnable handler = Signals.startsOnce(stopping);
                CyclicBarrier together = new CyclicBarrier(handlers);
                List<Future<?>> signalled = new ArrayList<>();
                for (int i = 0; i < handlers; i++) {
                    signalled.add(pool.submit(() -> {
                        together.await();
                        handler.run();
                        return null;
                    }));
                }
                for (Future<?> signal : signalled) {
                    signal.get(); // a handler that threw fails here
                }
                stopping.join();
                assertThat(stops).hasValue(1);
            }
        }
    }
}
