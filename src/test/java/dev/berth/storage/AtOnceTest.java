package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.storage.filesystem.FilesystemDriver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtOnceTest {

    @TempDir
    Path root;

    private AtOnce atOnce(boolean remote) {
        StorageDriver local = new FilesystemDriver(root);
        return new AtOnce(remote ? new ForwardingStorageDriver(local) {
            @Override
            public boolean remote() {
                return true;
            }
        } : local);
    }

    /** Each call waits for the other: they end only if they run at the same time. */
    private static List<Runnable> meetingCalls(List<Boolean> met) {
        CountDownLatch both = new CountDownLatch(2);
        Runnable meet = () -> {
            both.countDown();
            try {
                met.add(both.await(2, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        return List.of(meet, meet);
    }

    @Test
    void makesTheCallsOfRemoteStorageAtTheSameTime() {
        List<Boolean> met = Collections.synchronizedList(new ArrayList<>());
        atOnce(true).run(meetingCalls(met));
        assertThat(met).containsExactly(true, true);
    }

    @Test
    void makesNoMoreThanItsMostCallsAtOnceAndEveryOneOfThem() {
        AtomicInteger underWay = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger made = new AtomicInteger();
        Runnable call = () -> {
            most.accumulateAndGet(underWay.incrementAndGet(), Math::max);
            sleepQuietly(200);
            underWay.decrementAndGet();
            made.incrementAndGet();
        };
        atOnce(true).run(Collections.nCopies(AtOnce.MOST_AT_ONCE + 36, call));
        assertThat(most).hasValue(AtOnce.MOST_AT_ONCE);
        assertThat(made).hasValue(AtOnce.MOST_AT_ONCE + 36);
    }

    @Test
    void mapsItemsAtOnceIntoResultsInTheItemsOrder() {
        List<Integer> waits = List.of(150, 0, 100, 50);
        assertThat(atOnce(true).map(waits, wait -> {
            sleepQuietly(wait);
            return "waited " + wait;
        })).containsExactly("waited 150", "waited 0", "waited 100", "waited 50");
    }

    @Test
    void makesTheCallsOfLocalStorageOneAfterAnotherOnTheRequestsThread() {
        List<Thread> threads = new ArrayList<>();
        atOnce(false).run(List.of(() -> threads.add(Thread.currentThread()), () -> threads.add(Thread.currentThread())));
        assertThat(threads).containsExactly(Thread.currentThread(), Thread.currentThread());
    }

    @Test
    void mapsItemsOfLocalStorageOneAfterAnotherOnTheRequestsThreadInTheItemsOrder() {
        List<Thread> threads = new ArrayList<>();
        assertThat(atOnce(false).map(List.of(3, 1, 2), item -> {
            threads.add(Thread.currentThread());
            return "item " + item;
        })).containsExactly("item 3", "item 1", "item 2");
        assertThat(threads).containsOnly(Thread.currentThread()).hasSize(3);
        assertThat(atOnce(true).map(List.of(7), item -> Thread.currentThread()))
                .containsExactly(Thread.currentThread());
    }

    @Test
    void rethrowsTheFirstCallsFailureInTheListsOrderOnceEveryCallHasEnded() {
        AtomicBoolean lastEnded = new AtomicBoolean();
        CountDownLatch secondFailed = new CountDownLatch(1);
        List<Runnable> calls = List.of(
                () -> {
                    awaitQuietly(secondFailed); // fails after the second
                    throw new IllegalArgumentException("first");
                },
                () -> {
                    secondFailed.countDown();
                    throw new IllegalStateException("second");
                },
                () -> {
                    sleepQuietly(200);
                    lastEnded.set(true);
                });
        assertThatThrownBy(() -> atOnce(true).run(calls)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("first");
        assertThat(lastEnded).isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
