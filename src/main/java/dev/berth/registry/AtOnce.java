package dev.berth.registry;

import dev.berth.storage.StorageDriver;
import dev.berth.storage.StorageException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Makes the independent storage calls of one request at the same time, each on a virtual thread, where the storage
 * is remote: on S3 each call is a round trip, and one after another the claims and checks of a manifest of five
 * layers made its PUT take ten times as long as distribution's. On a local file system they are made one after
 * another, which measured faster there.
 */
final class AtOnce {

    private final boolean concurrently;

    AtOnce(StorageDriver driver) {
        this.concurrently = driver.remote();
    }

    /**
     * Runs every call and returns once all have ended. A failure is rethrown once all have ended, the first call's in
     * the list's order when several fail, as one after another would, so that the answer does not depend on which
     * finished first.
     */
    void run(List<Runnable> calls) {
        if (!concurrently || calls.size() < 2) {
            calls.forEach(Runnable::run);
            return;
        }
        List<Future<?>> ended;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            ended = calls.stream().<Future<?>>map(threads::submit).toList();
        }
        for (Future<?> call : ended) {
            switch (call.state()) {
                case SUCCESS -> {
                }
                case FAILED -> {
                    if (call.exceptionNow() instanceof RuntimeException unchecked) {
                        throw unchecked;
                    }
                    throw (Error) call.exceptionNow(); // a Runnable throws nothing else
                }
                // cancelled, which closing this executor does not do (it interrupts the calls, which then fail), but
                // an answer unknown must never count as a success
                default -> throw new StorageException("a storage call did not end: " + call.state());
            }
        }
    }
}
