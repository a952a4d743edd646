package dev.berth.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Makes the independent storage calls of one request at the same time, each on a virtual thread, where the storage
 * is remote: there each call is a round trip. Behind 5 ms of lag each way to S3Proxy, a five-layer manifest's PUT
 * with its claims and checks one after another took four times as long as with them at once
 * (docs/performance-changes.md, change 47). On a local file system the calls are made one after another, which measured
 * faster there.
 */
public final class AtOnce {

    /**
     * The calls of one request under way at once at most: a request that makes hundreds (a referrers listing of a
     * large repository) must leave the S3 driver's 256 connections to the others.
     */
    static final int MOST_AT_ONCE = 64;

    private final boolean concurrently;

    public AtOnce(StorageDriver driver) {
        this.concurrently = driver.remote();
    }

    /** How many calls {@link #run} makes at the same time at most: one where the storage is local. */
    public int mostAtOnce() {
        return concurrently ? MOST_AT_ONCE : 1;
    }

    /** Applies {@code call} to every item as {@link #run} makes calls, and returns the results in the items' order. */
    public <T, R> List<R> map(List<T> items, Function<? super T, ? extends R> call) {
        if (oneAfterAnother(items.size())) {
            // a plain loop where run would make the calls one after another anyway: a catalog page maps each
            // directory alone, thousands of times, and a fresh server runs it in the interpreter
            List<R> results = new ArrayList<>(items.size());
            for (T item : items) {
                results.add(call.apply(item));
            }
            return results;
        }
        AtomicReferenceArray<R> results = new AtomicReferenceArray<>(items.size());
        run(IntStream.range(0, items.size()).<Runnable>mapToObj(i -> () -> results.set(i, call.apply(items.get(i))))
                .toList());
        return IntStream.range(0, results.length()).mapToObj(results::get).toList();
    }

    /** Whether {@code calls} calls are made on the caller's thread, one after another: on local storage, or alone. */
    private boolean oneAfterAnother(int calls) {
        return !concurrently || calls < 2;
    }

    /**
     * Runs every call and returns once all have ended. A failure is rethrown once all have ended, the first call's in
     * the list's order when several fail, as one after another would, so that the answer does not depend on which
     * finished first. At most {@link #MOST_AT_ONCE} are under way at once; the others wait their turn.
     */
    public void run(List<Runnable> calls) {
        if (oneAfterAnother(calls.size())) {
            calls.forEach(Runnable::run);
            return;
        }
        List<Future<?>> ended;
        Semaphore turns = new Semaphore(MOST_AT_ONCE);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            ended = calls.stream().<Future<?>>map(call -> threads.submit(() -> {
                turns.acquireUninterruptibly();
                try {
                    call.run();
                } finally {
                    turns.release();
                }
            })).toList();
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
