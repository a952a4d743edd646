package dev.berth.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Predicate;

/**
 * Keeps the content of small, hot keys (link files) in memory, so that reading one costs a stat
 * instead of an open, reads and a close, once the file has been left alone for a couple of seconds. Every read still asks the storage whether the key exists and which
 * file it is ({@link FileInfo#sameVersionAs}): a file replaced or deleted by another process (a collector run
 * from cron, a second server) is seen at once, as garbage collection's claim-then-look rule requires. Only
 * backends that report a file identity benefit; for others every read goes to the storage. Writes through
 * this driver also drop what they touch. Thread-safe.
 */
public final class CachingStorageDriver extends ForwardingStorageDriver {

    private record Entry(FileInfo info, byte[] content) {
    }

    private final Predicate<String> cacheable;
    private final Cache<String, Entry> contents;
    /**
     * The cached keys in order, so that deleting a directory forgets what lies under it with a range lookup: a
     * scan of every cached key cost 0.75 ms per delete with the cache full (20,000 links), and every finished
     * upload deletes its directory. Changed only inside the cache's atomic operation on the same key, so it holds
     * exactly the cache's keys.
     */
    private final NavigableSet<String> keys = new ConcurrentSkipListSet<>();

    /**
     * @param cacheable which keys are worth caching: small files read often and replaced rarely, and only
     *                  ever replaced whole ({@link #putContent}, {@link #move})
     * @param maxBytes  how much content to keep at most
     */
    public CachingStorageDriver(StorageDriver delegate, Predicate<String> cacheable, long maxBytes) {
        super(delegate);
        this.cacheable = cacheable;
        this.contents = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                // the key and content, and about 300 bytes of heap for the entry itself: its file facts, the
                // objects around the key and content, and the nodes of the cache and of the key set
                .weigher((String key, Entry entry) -> 300 + key.length() + entry.content().length)
                .evictionListener((String key, Entry entry, RemovalCause cause) -> keys.remove(key))
                .build();
    }

    /**
     * The cache a server puts in front of its storage: link files (a tag's current manifest above all), which every
     * pull reads, often many times a second.
     */
    public static StorageDriver forLinks(StorageDriver driver) {
        return new CachingStorageDriver(driver, key -> key.endsWith("/link"), 4L << 20);
    }

    @Override
    public byte[] getContent(String key) {
        if (!cacheable.test(key)) {
            return delegate.getContent(key);
        }
        FileInfo before = delegate.statFile(key).orElseThrow(() -> new NotFoundException(key));
        Entry cached = contents.getIfPresent(key);
        if (cached != null && cached.info().sameVersionAs(before)) {
            return cached.content().clone();
        }
        // kept under the version looked at before the read, and only if that one had settled by then: a change from
        // then on, a rewrite in place or another file renamed over it, gives the file another version, so bytes read
        // while the file changed are kept under a version it no longer has, and never served. Unsettled, a rewrite
        // within the file system's clock step could look like the same file (a tag moved by another server, served
        // stale)
        Instant looked = Instant.now();
        byte[] content = delegate.getContent(key);
        if (before.settledBy(looked)) {
            remember(key, new Entry(before, content.clone()));
        }
        return content;
    }

    private void remember(String key, Entry entry) {
        contents.asMap().compute(key, (k, old) -> {
            keys.add(k);
            return entry;
        });
    }

    private void forget(String key) {
        contents.asMap().computeIfPresent(key, (k, old) -> {
            keys.remove(k);
            return null;
        });
    }

    @Override
    public void putContent(String key, byte[] content) {
        writing(key, () -> delegate.putContent(key, content));
    }

    @Override
    public void ensureContent(String key, byte[] content) {
        writing(key, () -> delegate.ensureContent(key, content));
    }

    @Override
    public void ensureContents(Map<String, byte[]> contents) {
        writing(contents.keySet(), () -> delegate.ensureContents(contents));
    }

    @Override
    public void touch(String key) {
        writing(key, () -> delegate.touch(key));
    }

    /** Runs a write of the key, then forgets it, whether the write succeeded or not. */
    private void writing(String key, Runnable write) {
        writing(List.of(key), write);
    }

    /** Runs a write of the keys, then forgets them, whether the write succeeded or not. */
    private void writing(Collection<String> keys, Runnable write) {
        try {
            write.run();
        } finally {
            keys.forEach(this::forget);
        }
    }

    /** Cacheable keys are only ever replaced whole, so what a writer appends to one is caught by the stat. */
    @Override
    public StorageWriter writer(String key, boolean append) {
        forget(key);
        return delegate.writer(key, append);
    }

    @Override
    public void move(String from, String to) {
        moving(from, to, () -> delegate.move(from, to));
    }

    @Override
    public void rename(String from, String to) {
        moving(from, to, () -> delegate.rename(from, to));
    }

    /** Runs a move, then forgets both keys, whether it succeeded or not. */
    private void moving(String from, String to, Runnable move) {
        try {
            move.run();
        } finally {
            forget(from);
            forget(to);
        }
    }

    @Override
    public void delete(String key) {
        try {
            delegate.delete(key);
        } finally {
            forget(key);
            String prefix = key + "/";
            for (String cached : keys.tailSet(prefix)) {
                if (!cached.startsWith(prefix)) {
                    break;
                }
                forget(cached);
            }
        }
    }
}
