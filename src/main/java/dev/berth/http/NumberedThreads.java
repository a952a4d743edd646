package dev.berth.http;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Threads named {@code prefix1}, {@code prefix2}, ... by a counter of their own. The JDK's numbering factories
 * ({@code Thread.ofVirtual().name(prefix, 0).factory()}) count through a VarHandle whose first call in a process
 * spins method handles that no start-up cache keeps: 13 ms of a server's start, or of its first S3 pull.
 */
final class NumberedThreads implements ThreadFactory {

    private final String prefix;
    /** A new builder per thread: a builder is not safe to share between threads. */
    private final Supplier<Thread.Builder> builders;
    private final AtomicLong made = new AtomicLong();

    NumberedThreads(String prefix, Supplier<Thread.Builder> builders) {
        this.prefix = prefix;
        this.builders = builders;
    }

    @Override
    public Thread newThread(Runnable task) {
        return builders.get().name(prefix + made.incrementAndGet()).unstarted(task);
    }
}
