package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NumberedThreadsTest {

    @Test
    void numbersEachFactorysThreadsFromOneAndLeavesThemUnstarted() {
        NumberedThreads copiers = new NumberedThreads("copier-", () -> Thread.ofPlatform().daemon());
        NumberedThreads others = new NumberedThreads("other-", Thread::ofVirtual);
        Thread first = copiers.newThread(() -> { });
        Thread second = copiers.newThread(() -> { });
        Thread other = others.newThread(() -> { });
        assertThat(List.of(first.getName(), second.getName(), other.getName()))
                .containsExactly("copier-1", "copier-2", "other-1");
        assertThat(first.isDaemon()).isTrue();
        assertThat(first.isVirtual()).isFalse();
        assertThat(other.isVirtual()).isTrue();
        assertThat(first.getState()).isEqualTo(Thread.State.NEW);
    }

    @Test
    void threadsMadeAtOnceFromManyThreadsGetNamesOfTheirOwn() throws InterruptedException {
        NumberedThreads factory = new NumberedThreads("t-", Thread::ofVirtual);
        Set<String> names = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> makers = IntStream.range(0, 8).mapToObj(i -> Thread.ofPlatform().start(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int n = 0; n < 500; n++) {
                names.add(factory.newThread(() -> { }).getName());
            }
        })).toList();
        go.countDown();
        for (Thread maker : makers) {
            maker.join();
        }
        assertThat(names).hasSize(4_000).contains("t-1", "t-4000");
    }
}
