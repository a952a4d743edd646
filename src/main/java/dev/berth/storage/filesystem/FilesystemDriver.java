package dev.berth.storage.filesystem;

import dev.berth.storage.ChildrenHolding;
import dev.berth.storage.FileInfo;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.StorageException;
import dev.berth.storage.StorageWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Stores keys as files under a root directory, as distribution's filesystem driver does, so either
 * registry can serve the other's data. Small files are written durably by {@link DurableWrites}: to a temporary
 * file, synced, renamed over the target, and the name synced. Directories exist only while they hold something,
 * but for those the caller names to keep ({@link DirectoryTree}): deleting or moving a file removes the directories
 * it leaves empty.
 */
public final class FilesystemDriver implements StorageDriver {

    /** Temporary files start with this; no key component Berth or distribution writes does. */
    static final String TEMP_PREFIX = ".tmp-";
    /**
     * How many directories may wait for the sync of their entries: beyond it (ones another process removed, say)
     * all are synced at once.
     */
    private static final int UNSYNCED_LIMIT = 4096;
    private final DirectoryTree tree;
    private final DurableWrites durableWrites;
    private final DirectoryListings listings;
    /** Uploads writing through a thread of their own at once: more than there are cores would only compete. */
    private final Semaphore writeBehindThreads = new Semaphore(Runtime.getRuntime().availableProcessors());

    /** Pruning every directory left empty. */
    public FilesystemDriver(Path root) {
        this(root, key -> false, key -> Optional.empty());
    }

    /**
     * @param keptWhenEmpty      the keys of directories never pruned
     * @param keptBesideOthersIn given a directory's key, the name of the directory in it that is pruned only with
     *                           it: while the directory holds anything else; empty when there is none
     */
    public FilesystemDriver(Path root, Predicate<String> keptWhenEmpty,
                            Function<String, Optional<String>> keptBesideOthersIn) {
        this(root, keptWhenEmpty, keptBesideOthersIn, FilesystemDriver::syncDirectory, UNSYNCED_LIMIT);
    }

    /** With the directory sync observed, for tests: a missed sync shows only on power loss. */
    FilesystemDriver(Path root, Predicate<String> keptWhenEmpty, Function<String, Optional<String>> keptBesideOthersIn,
                     DirectorySync directorySync, int unsyncedLimit) {
        this.tree = new DirectoryTree(root, keptWhenEmpty, keptBesideOthersIn,
                new UnsyncedDirectories(directorySync, unsyncedLimit));
        this.durableWrites = new DurableWrites(tree);
        this.listings = new DirectoryListings(tree);
    }

    @FunctionalInterface
    interface DirectorySync {
        void sync(Path directory) throws IOException;
    }

    public Path root() {
        return tree.root();
    }

    private Path path(String key) {
        return tree.path(key);
    }

    @Override
    public byte[] getContent(String key) {
        try {
            return Files.readAllBytes(path(key));
        } catch (NoSuchFileException e) {
            throw new NotFoundException(key);
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public void putContent(String key, byte[] content) {
        durableWrites.put(key, content);
    }

    @Override
    public void ensureContent(String key, byte[] content) {
        ensureContents(Map.of(key, content));
    }

    /** See {@link DurableWrites#ensure}: the files are synced together, each step for all before the next. */
    @Override
    public void ensureContents(Map<String, byte[]> contents) {
        durableWrites.ensure(contents);
    }

    /**
     * Opens the file to truncate it, which the kernel (or the file server) dates even when the file is empty
     * already, as POSIX asks of {@code O_TRUNC}. Left empty, a claim holds no block, and removing it costs the
     * collector a tenth of removing one with a byte in it (on a file system that discards freed blocks).
     */
    @Override
    public void touch(String key) {
        try {
            tree.openCreatingParents(path(key), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING).close();
        } catch (IOException e) {
            throw failure("touch", key, e);
        }
    }

    @Override
    public InputStream reader(String key, long offset) {
        FileChannel channel = openForReading(key);
        try {
            channel.position(offset);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw failure("open", key, e);
        }
        return Channels.newInputStream(channel);
    }

    @Override
    public Optional<FileChannel> fileChannel(String key) {
        return Optional.of(openForReading(key));
    }

    private FileChannel openForReading(String key) {
        try {
            return FileChannel.open(path(key), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NotFoundException(key);
        } catch (IOException e) {
            throw failure("open", key, e);
        }
    }

    @Override
    public StorageWriter writer(String key, boolean append) {
        Path target = path(key);
        try {
            // an upload's file is made durable where it is moved to, not here
            FileChannel channel = append
                    ? FileChannel.open(target, StandardOpenOption.WRITE)
                    : tree.openCreatingParents(target, StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            long size = channel.size();
            channel.position(size);
            return new FileWriter(key, channel, size, writeBehindThreads);
        } catch (NoSuchFileException e) {
            throw new NotFoundException(key);
        } catch (IOException e) {
            throw failure("open for writing", key, e);
        }
    }

    @Override
    public Optional<FileInfo> stat(String key) {
        Path path = path(key);
        try {
            // a miss is an answer here (every pushed blob starts with one), so it is asked without an exception
            BasicFileAttributes attributes = path.getFileSystem().provider()
                    .readAttributesIfExists(path, BasicFileAttributes.class);
            return Optional.ofNullable(attributes).map(found -> new FileInfo(key, found.size(),
                    found.lastModifiedTime().toInstant(), found.isDirectory(), found.fileKey()));
        } catch (IOException e) {
            throw failure("stat", key, e);
        }
    }

    @Override
    public List<String> list(String key) {
        return listings.list(key);
    }

    @Override
    public ChildrenHolding listHolding(String key, String relative) {
        return listings.listHolding(key, relative);
    }

    @Override
    public void move(String from, String to) {
        move(from, to, true);
    }

    /** Without the two syncs of a durable move, which made up a third of an offline collection's time. */
    @Override
    public void rename(String from, String to) {
        move(from, to, false);
    }

    private void move(String from, String to, boolean durable) {
        try {
            tree.move(path(from), path(to), durable);
        } catch (NoSuchFileException e) {
            throw new NotFoundException(from);
        } catch (IOException e) {
            throw failure("move to " + to, from, e);
        }
    }

    @Override
    public void delete(String key) {
        Path target = path(key);
        try {
            tree.delete(target);
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
        try {
            tree.pruneEmptyDirectories(target.getParent());
        } catch (IOException e) {
            throw failure("prune the directories above", key, e);
        }
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (NoSuchFileException e) {
            // the file was deleted at once and its directory pruned: there is no name left to make durable
        }
    }

    static boolean deleteQuietly(Path path) {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: a leftover temp file is invisible to readers and to listings
            return false;
        }
    }

    static StorageException failure(String operation, String key, IOException cause) {
        return new StorageException("cannot " + operation + " " + key + ": " + cause.getMessage(), cause);
    }
}
