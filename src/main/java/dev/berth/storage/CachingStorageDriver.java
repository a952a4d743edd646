package dev.berth.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Predicate;

/**
 * Keeps the content of small, hot keys (link files) in memory, so that reading one costs a stat
 * instead of an open, reads and a close. Every read still asks the storage whether the key exists and which
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
     * @param cacheable which keys are worth caching: small files read often and replaced rarely, and only
     *                  ever replaced whole ({@link #putContent}, {@link #move})
     * @param maxBytes  how much content to keep at most
     */
    public CachingStorageDriver(StorageDriver delegate, Predicate<String> cacheable, long maxBytes) {
        super(delegate);
        this.cacheable = cacheable;
        this.contents = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, Entry entry) -> key.length() + entry.content().length)
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
        FileInfo before = delegate.stat(key).orElseThrow(() -> new NotFoundException(key));
        Entry cached = contents.getIfPresent(key);
        if (cached != null && cached.info().sameVersionAs(before)) {
            return cached.content().clone();
        }
        byte[] content = delegate.getContent(key);
        // the same file before and after the read, so the bytes are that file's
        delegate.stat(key).filter(before::sameVersionAs)
                .ifPresent(after -> contents.put(key, new Entry(after, content.clone())));
        return content;
    }

    @Override
    public void putContent(String key, byte[] content) {
        try {
            delegate.putContent(key, content);
        } finally {
            contents.invalidate(key);
        }
    }

    @Override
    public void touch(String key) {
        try {
            delegate.touch(key);
        } finally {
            contents.invalidate(key);
        }
    }

    /** Cacheable keys are only ever replaced whole, so what a writer appends to one is caught by the stat. */
    @Override
    public StorageWriter writer(String key, boolean append) {
        contents.invalidate(key);
        return delegate.writer(key, append);
    }

    @Override
    public void move(String from, String to) {
        try {
            delegate.move(from, to);
        } finally {
            contents.invalidate(from);
            contents.invalidate(to);
        }
    }

    @Override
    public void delete(String key) {
        try {
            delegate.delete(key);
        } finally {
            String prefix = key + "/";
            contents.asMap().keySet().removeIf(k -> k.equals(key) || k.startsWith(prefix));
        }
    }
}
