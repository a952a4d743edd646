package dev.berth.storage.filesystem;

import dev.berth.storage.filesystem.FilesystemDriver.DirectorySync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The directories a {@link FilesystemDriver} made whose entries in their parents are not known to be durable: made
 * by a write that need not be (a blob's claim, an upload's start) or by a durable one not yet past its syncs. The
 * first durable write below one syncs its entry, after the write's own syncs, which have usually written it already
 * (with the journal's commit where the file system keeps one; ext4 without one writes a new file's new parents with
 * it), so that this sync is mostly the disk's flush. Each directory is made and registered,
 * synced and forgotten, or removed and forgotten under one of 64 striped locks, never two at once, so a durable write
 * never passes one whose entry is being synced, and one made again after a removal is registered again. Each is
 * registered with a tick of a counter, taken once it exists, so that a write syncing several paths syncs a parent
 * once for all the directories made in it before that sync began (a new tag's, for its index and current links).
 * Thread-safe.
 */
final class UnsyncedDirectories {

    /** Each directory waiting, with the tick taken when it was made. */
    private final Map<Path, Long> waiting = new ConcurrentHashMap<>();
    private final AtomicLong ticks = new AtomicLong();
    private final ReentrantLock[] locks = new ReentrantLock[64];
    private final DirectorySync directorySync;
    /** Beyond this many waiting (ones another process removed, say), all are synced at once. */
    private final int limit;

    UnsyncedDirectories(DirectorySync directorySync, int limit) {
        this.directorySync = directorySync;
        this.limit = limit;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /**
     * Makes one directory, whose parent must exist, and registers it. Throws as {@link Files#createDirectory} does:
     * {@code FileAlreadyExistsException} when another writer made it, {@code NoSuchFileException} without a parent.
     */
    void create(Path directory) throws IOException {
        withLockOf(directory, () -> {
            Files.createDirectory(directory);
            waiting.put(directory, ticks.incrementAndGet());
        });
        if (waiting.size() > limit) {
            Map<Path, Long> synced = new HashMap<>();
            for (Path unsynced : waiting.keySet()) {
                syncEntry(unsynced, synced);
            }
        }
    }

    /** Removes an empty directory, if it is there, and forgets it. */
    void remove(Path directory) throws IOException {
        withLockOf(directory, () -> {
            Files.deleteIfExists(directory);
            waiting.remove(directory);
        });
    }

    /**
     * Makes the names just given to files in each of {@code directories} durable, and with them the paths there
     * below {@code root}: the entry of each directory on the way that waits for the sync of its entry, from the
     * deepest up. A parent synced once covers every directory made in it before that sync began.
     */
    void syncPaths(Collection<Path> directories, Path root) throws IOException {
        // each directory synced here, with the tick read before its sync began
        Map<Path, Long> synced = new HashMap<>();
        for (Path directory : directories) {
            sync(directory, synced);
            for (Path dir = directory; !dir.equals(root); dir = dir.getParent()) {
                syncEntry(dir, synced);
            }
        }
    }

    /** Syncs the parent of {@code directory} if it waits for that and no sync here covered it; then forgets it. */
    private void syncEntry(Path directory, Map<Path, Long> synced) throws IOException {
        withLockOf(directory, () -> {
            Long made = waiting.get(directory);
            if (made == null) {
                return;
            }
            Long parentSyncBegan = synced.get(directory.getParent());
            // one gone meanwhile was removed by another process: its entry is no longer there to sync
            if ((parentSyncBegan == null || made > parentSyncBegan) && Files.isDirectory(directory)) {
                sync(directory.getParent(), synced);
            }
            waiting.remove(directory);
        });
    }

    private void sync(Path directory, Map<Path, Long> synced) throws IOException {
        long began = ticks.get();
        directorySync.sync(directory);
        synced.put(directory, began);
    }

    private void withLockOf(Path directory, DirectoryWork work) throws IOException {
        ReentrantLock lock = locks[Math.floorMod(directory.hashCode(), locks.length)];
        lock.lock();
        try {
            work.run();
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    private interface DirectoryWork {
        void run() throws IOException;
    }
}
