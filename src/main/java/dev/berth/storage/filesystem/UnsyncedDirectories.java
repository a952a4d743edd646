package dev.berth.storage.filesystem;

import dev.berth.storage.filesystem.FilesystemDriver.DirectorySync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The directories a {@link FilesystemDriver} made whose entries in their parents are not known to be durable: made
 * by a write that need not be (a blob's claim, an upload's start) or by a durable one not yet past its syncs. The
 * first durable write below one syncs its entry, after the write's own syncs, which have usually written it already
 * (with the journal's commit where the file system keeps one; ext4 without one writes a new file's new parents with
 * it), so that this sync is mostly the disk's flush. Each directory is made and registered,
 * synced and forgotten, or removed and forgotten under one of 64 striped locks, never two at once, so a durable write
 * never passes one whose entry is being synced, and one made again after a removal is registered again.
 * Thread-safe.
 */
final class UnsyncedDirectories {

    private final Set<Path> waiting = ConcurrentHashMap.newKeySet();
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
            waiting.add(directory);
        });
        if (waiting.size() > limit) {
            for (Path unsynced : waiting) {
                syncEntry(unsynced);
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
     * Makes a name just given to a file in {@code directory} durable, and with it the path there below {@code root}:
     * the entry of each directory on the way that waits for the sync of its entry, from the deepest up.
     */
    void syncPath(Path directory, Path root) throws IOException {
        directorySync.sync(directory);
        for (Path dir = directory; !dir.equals(root); dir = dir.getParent()) {
            syncEntry(dir);
        }
    }

    /** Syncs the parent of {@code directory} if the directory waits for that, and then forgets it. */
    private void syncEntry(Path directory) throws IOException {
        withLockOf(directory, () -> {
            if (waiting.contains(directory)) {
                // one gone meanwhile was removed by another process: its entry is no longer there to sync
                if (Files.isDirectory(directory)) {
                    directorySync.sync(directory.getParent());
                }
                waiting.remove(directory);
            }
        });
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
