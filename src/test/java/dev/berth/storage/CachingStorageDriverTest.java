package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.storage.filesystem.FilesystemDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache is a driver like any other: a write through it is seen by the very next read, and so is a file
 * replaced or deleted behind its back, as by another process sharing the storage.
 */
class CachingStorageDriverTest extends StorageDriverContract {

    @TempDir
    Path root;

    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger looks = new AtomicInteger();
    /** What another process does to the storage right after the next whole-content read, if anything. */
    private Replacement replaceAfterNextRead;
    private StorageDriver cached;

    @BeforeEach
    void create() {
        cached = new CachingStorageDriver(new CountingReads(new FilesystemDriver(root)),
                key -> !key.contains("/nocache/"), 1 << 20);
    }

    @Override
    protected StorageDriver driver() {
        return cached;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Replaces the file as another Berth would: a new file renamed over the old one. */
    private void replaceBehindTheCache(String relative, String content) throws Exception {
        Path temp = root.resolve("replacement");
        Files.writeString(temp, content);
        Files.move(temp, root.resolve(relative), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Dates the file as written a while ago: the cache keeps only files left alone for a couple of seconds. */
    private void settle(String relative) throws Exception {
        Files.setLastModifiedTime(root.resolve(relative), FileTime.from(Instant.now().minusSeconds(3)));
    }

    @Test
    void readsAnUnchangedFileOnlyOnce() throws Exception {
        cached.putContent("/r/link", bytes("sha256:a"));
        settle("r/link");
        for (int i = 0; i < 5; i++) {
            assertThat(cached.getContent("/r/link")).isEqualTo(bytes("sha256:a"));
        }
        assertThat(reads).hasValue(1);
    }

    @Test
    void looksAtASettledFileOnceWhenItReadsIt() throws Exception {
        cached.putContent("/r/link", bytes("sha256:a"));
        settle("r/link");
        looks.set(0);

        cached.getContent("/r/link");
        assertThat(looks).hasValue(1);
        cached.getContent("/r/link");
        assertThat(looks).hasValue(2);
        assertThat(reads).hasValue(1);
    }

    @Test
    void readsAgainAFileReplacedByAnotherProcessWhileItWasRead() throws Exception {
        cached.putContent("/t/current/link", bytes("sha256:a"));
        settle("t/current/link");
        replaceAfterNextRead = () -> replaceBehindTheCache("t/current/link", "sha256:b");

        assertThat(cached.getContent("/t/current/link")).isEqualTo(bytes("sha256:a"));
        assertThat(cached.getContent("/t/current/link")).isEqualTo(bytes("sha256:b"));
    }

    @Test
    void seesAFileReplacedByAnotherProcessAtOnce() throws Exception {
        cached.putContent("/t/current/link", bytes("sha256:a"));
        cached.getContent("/t/current/link");
        // same length, and most likely the same modification time: only the file's identity differs
        replaceBehindTheCache("t/current/link", "sha256:b");
        assertThat(cached.getContent("/t/current/link")).isEqualTo(bytes("sha256:b"));
    }

    /**
     * On a file system that keeps whole seconds (ext3, ext4 with small inodes, many NFS mounts), a link rewritten
     * in place within the second, or a new one that got the old inode back, has the size, time and identity of the
     * old: a second server once served an old tag target for good, and its collector deleted the tag's manifest.
     */
    @Test
    void keepsNoFileChangedWithinTheLastSecondsWhichACoarseClockCannotTellFromItsNextVersion() throws Exception {
        Path link = root.resolve("t/current/link");
        FileTime second = FileTime.from(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        cached.putContent("/t/current/link", bytes("sha256:a"));
        Files.setLastModifiedTime(link, second);
        assertThat(cached.getContent("/t/current/link")).isEqualTo(bytes("sha256:a"));

        Files.writeString(link, "sha256:b"); // in place, as distribution rewrites a link: the same inode
        Files.setLastModifiedTime(link, second);

        assertThat(cached.getContent("/t/current/link")).isEqualTo(bytes("sha256:b"));
    }

    @Test
    void seesAFileDeletedByAnotherProcessAtOnce() throws Exception {
        cached.putContent("/r/link", bytes("sha256:a"));
        cached.getContent("/r/link");
        Files.delete(root.resolve("r/link"));
        assertThatThrownBy(() -> cached.getContent("/r/link")).isInstanceOf(NotFoundException.class);
        assertThat(cached.stat("/r/link")).isEmpty();
    }

    @Test
    void keysOutsideThePredicateAreAlwaysRead() {
        cached.putContent("/x/nocache/f", bytes("one"));
        cached.getContent("/x/nocache/f");
        cached.getContent("/x/nocache/f");
        assertThat(reads).hasValue(2);
    }

    @Test
    void aWriteThroughTheCacheIsSeenByTheNextRead() {
        cached.putContent("/t/current/link", bytes("sha256:a"));
        assertThat(cached.getContent("/t/current/link")).isEqualTo(bytes("sha256:a"));
        cached.putContent("/t/current/link", bytes("sha256:b"));
        assertThat(cached.getContent("/t/current/link")).isEqualTo(bytes("sha256:b"));
        try (StorageWriter writer = cached.writer("/up/data", false)) {
            writer.write(bytes("blob"), 0, 4);
        }
        cached.move("/up/data", "/t/current/link");
        assertThat(cached.getContent("/t/current/link")).isEqualTo(bytes("blob"));
    }

    /**
     * Deleting is what tells the cache a key's file is gone when the storage cannot: on a backend that gives a
     * recreated file the identity of the deleted one (a reused inode written within the same clock tick), only the
     * forgetting keeps the old content from being served.
     */
    @Test
    void deletingADirectoryForgetsWhatTheStorageCannotTellApart() {
        FilesystemDriver storage = new FilesystemDriver(root);
        StorageDriver driver = new CachingStorageDriver(new ReusedIdentities(storage), key -> true, 1 << 20);
        cacheLinks(driver, "/repo/tags/t", 40);
        cacheLinks(driver, "/repo/tagsx/t", 1);

        driver.delete("/repo/tags");
        relinkBehindTheCache(storage, "/repo/tags/t", 40);
        relinkBehindTheCache(storage, "/repo/tagsx/t", 1);

        assertLinks(driver, "/repo/tags/t", 40, "sha256:b");
        // outside the deleted directory, the cache still answers with what it holds
        assertLinks(driver, "/repo/tagsx/t", 1, "sha256:a");
    }

    @Test
    void keysEvictedAndCachedAgainAreForgottenToo() {
        FilesystemDriver storage = new FilesystemDriver(root);
        // room for about 15 of the 40 links: the rest are evicted as they are read
        StorageDriver small = new CachingStorageDriver(new ReusedIdentities(storage), key -> true, 600);
        for (int round = 0; round < 3; round++) {
            cacheLinks(small, "/repo/tags/t", 40);
        }

        small.delete("/repo/tags");
        relinkBehindTheCache(storage, "/repo/tags/t", 40);

        assertLinks(small, "/repo/tags/t", 40, "sha256:b");
    }

    private static void cacheLinks(StorageDriver driver, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            driver.putContent(prefix + i + "/current/link", bytes("sha256:a"));
            driver.getContent(prefix + i + "/current/link");
        }
    }

    private static void relinkBehindTheCache(StorageDriver storage, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            storage.putContent(prefix + i + "/current/link", bytes("sha256:b"));
        }
    }

    private static void assertLinks(StorageDriver driver, String prefix, int count, String content) {
        for (int i = 0; i < count; i++) {
            assertThat(driver.getContent(prefix + i + "/current/link")).isEqualTo(bytes(content));
        }
    }

    @Test
    void callersCannotChangeWhatIsCached() {
        cached.putContent("/m/data", bytes("manifest"));
        cached.getContent("/m/data")[0] = 'X';
        cached.getContent("/m/data")[0] = 'Y';
        assertThat(cached.getContent("/m/data")).isEqualTo(bytes("manifest"));
    }

    /** A backend whose every file at a key looks like the same version: one identity, one modification time. */
    private static final class ReusedIdentities extends ForwardingStorageDriver {

        ReusedIdentities(StorageDriver driver) {
            super(driver);
        }

        @Override
        public Optional<FileInfo> stat(String key) {
            return delegate.stat(key).map(ReusedIdentities::reused);
        }

        @Override
        public Optional<FileInfo> statFile(String key) {
            return delegate.statFile(key).map(ReusedIdentities::reused);
        }

        private static FileInfo reused(FileInfo info) {
            return new FileInfo(info.key(), info.size(), Instant.EPOCH, info.directory(), "reused");
        }
    }

    @FunctionalInterface
    private interface Replacement {
        void run() throws Exception;
    }

    /** Counts the looks at files and the whole-content reads that reach the storage. */
    private final class CountingReads extends ForwardingStorageDriver {

        CountingReads(StorageDriver driver) {
            super(driver);
        }

        @Override
        public Optional<FileInfo> statFile(String key) {
            looks.incrementAndGet();
            return delegate.statFile(key);
        }

        @Override
        public byte[] getContent(String key) {
            reads.incrementAndGet();
            byte[] content = delegate.getContent(key);
            if (replaceAfterNextRead != null) {
                Replacement replacement = replaceAfterNextRead;
                replaceAfterNextRead = null;
                try {
                    replacement.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return content;
        }
    }
}
