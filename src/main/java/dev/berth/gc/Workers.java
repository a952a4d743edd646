package dev.berth.gc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a collection's work on several threads. Its file operations mostly wait: removing a file's last name or a
 * directory waits on the file system three times as long as it computes, and such waits overlap. With one worker
 * the work runs on the calling thread, as a collection inside the server does, leaving the cores to the requests.
 */
final class Workers {

    private final int count;

    Workers(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one worker: " + count);
        }
        this.count = count;
    }

    <T> void forEach(Collection<T> items, Consumer<T> work) {
        map(items, item -> {
            work.accept(item);
            return null;
        });
    }

    /**
     * {@code work} applied to each item, the results in the items' order; returns when all are done. The first
     * failure stops the items not yet started and is thrown once the others have ended.
     */
    <T, R> List<R> map(Collection<T> items, Function<T, R> work) {
        List<R> results = new ArrayList<>(items.size());
        if (count == 1) {
            items.forEach(item -> results.add(work.apply(item)));
            return results;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(count,
                Thread.ofPlatform().name("gc-worker-", 1).factory())) {
            List<Future<R>> started = new ArrayList<>(items.size());
            items.forEach(item -> started.add(pool.submit(() -> work.apply(item))));
            for (Future<R> task : started) {
                try {
                    results.add(task.get());
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    if (e.getCause() instanceof RuntimeException failure) {
                        throw failure;
                    }
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    pool.shutdownNow();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while collecting garbage", e);
                }
            }
        }
        return results;
    }
}
