package dev.berth.storage.filesystem;

import dev.berth.storage.FileInfo;
import dev.berth.storage.Keys;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.StorageException;
import dev.berth.storage.StorageWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Stores keys as files under a root directory, as distribution's filesystem driver does, so either
 * registry can serve the other's data. Small files are written to a temporary file beside the target,
 * synced, then renamed over it; the directory is synced after a rename so the new name survives a crash, and so
 * is the parent of each directory on the way to it that this driver made and has not synced yet, whichever write
 * made it, so that the path to the name survives too.
 *
 * <p>Directories exist only while they hold something, but for those the caller names to keep, always or while
 * their parent holds something else: deleting or moving a file removes the directories it leaves empty. Another
 * thread or process may therefore remove a directory just as a write is about to create a file in it; writes
 * recreate the directory and try again.
 */
public final class FilesystemDriver implements StorageDriver {

    /** Temporary files start with this; no key component Berth or distribution writes does. */
    static final String TEMP_PREFIX = ".tmp-";
    /** How often a write recreates a directory that a concurrent delete pruned before giving up. */
    private static final int ATTEMPTS = 16;
    /**
     * How many directories may wait for the sync of their entries: beyond it (ones another process removed, say)
     * all are synced at once.
     */
    private static final int UNSYNCED_LIMIT = 4096;
    /**
     * How long a put writes its file again while concurrent deletes of its tree take it before the rename. A
     * count would not do: when syncing a file takes longer than the time between two deletes, every attempt
     * loses until the deletes stop.
     */
    private static final Duration PUT_RETRY_LIMIT = Duration.ofSeconds(10);
    /**
     * Age past which a temporary file can only be what a crash left: a write takes a temporary file for seconds
     * at most. Listings delete such files as they pass them, so that the collector's visits clear them.
     */
    private static final Duration TEMP_LEFT_BEHIND = Duration.ofHours(1);

    private final Path root;
    private final Predicate<String> keptWhenEmpty;
    private final Function<String, Optional<String>> keptBesideOthersIn;
    /** Every directory this driver makes or removes goes through it. */
    private final UnsyncedDirectories unsyncedDirectories;
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
        this.root = root.toAbsolutePath().normalize();
        this.keptWhenEmpty = keptWhenEmpty;
        this.keptBesideOthersIn = keptBesideOthersIn;
        this.unsyncedDirectories = new UnsyncedDirectories(directorySync, unsyncedLimit);
    }

    @FunctionalInterface
    interface DirectorySync {
        void sync(Path directory) throws IOException;
    }

    public Path root() {
        return root;
    }

    private Path path(String key) {
        return root.resolve(Keys.check(key).substring(1));
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
        Path target = path(key);
        long deadline = System.nanoTime() + PUT_RETRY_LIMIT.toNanos();
        while (true) {
            PendingWrite write = null;
            try {
                write = writeTemporary(key, content, target);
                write.sync();
                write.rename();
                unsyncedDirectories.syncPath(target.getParent(), root);
                return;
            } catch (NoSuchFileException e) {
                // a concurrent delete of the tree (a tag deleted while it is pushed) took the temporary file
                // before the rename: write it again, after that delete
                if (System.nanoTime() - deadline > 0) {
                    throw failure("write", key, e);
                }
            } catch (IOException e) {
                throw failure("write", key, e);
            } finally {
                if (write != null) {
                    write.abandon();
                }
            }
        }
    }

    @Override
    public void ensureContent(String key, byte[] content) {
        ensureContents(Map.of(key, content));
    }

    /**
     * Leaves a file that holds its content already as it is: reading it costs a small part of writing it again,
     * whose syncs (the new file, then its directory) were most of a manifest put that tags what is there. It is
     * synced all the same, and its name on its path as a write's would be: another request may have written it
     * moments ago and still be syncing it, and what this one acknowledges must be on disk. Syncing what is on disk
     * already asks the disk for no more than a flush.
     *
     * <p>The others are written as {@link #putContent} writes them, but each step for all the files before the next:
     * every temporary file written, then all synced, then all renamed, then their directories synced. Where the file
     * system journals its metadata, most of a sync is the wait for the journal's commit, and a commit carries every
     * change made before it: the new directories go with the first file's, and all the renames with one commit.
     */
    @Override
    public void ensureContents(Map<String, byte[]> contents) {
        List<PendingWrite> writes = new ArrayList<>(contents.size());
        try {
            // a concurrent delete of a tree (a tag deleted while it is pushed) may prune a directory as its
            // temporary file is made, or take that file before the rename: such a key is written on its own
            for (Map.Entry<String, byte[]> entry : contents.entrySet()) {
                try {
                    writes.add(pendingWrite(entry.getKey(), entry.getValue()));
                } catch (NoSuchFileException e) {
                    putContent(entry.getKey(), entry.getValue());
                }
            }
            for (PendingWrite write : writes) {
                write.sync();
            }
            // each file's directory, whether it was renamed into it or held its content there already
            Set<Path> directories = new LinkedHashSet<>();
            for (PendingWrite write : writes) {
                try {
                    write.rename();
                    directories.add(write.target.getParent());
                } catch (NoSuchFileException e) {
                    putContent(write.key, write.content);
                }
            }
            for (Path directory : directories) {
                unsyncedDirectories.syncPath(directory, root);
            }
        } catch (IOException e) {
            throw failure("write", String.join(", ", contents.keySet()), e);
        } finally {
            writes.forEach(PendingWrite::abandon);
        }
    }

    /** The file itself, to be synced, when it holds the content already; else a temporary file that holds it. */
    private PendingWrite pendingWrite(String key, byte[] content) throws IOException {
        Path target = path(key);
        try {
            // a look first: most links are new when written, and reading a missing file costs an exception
            if (Files.exists(target) && Arrays.equals(Files.readAllBytes(target), content)) {
                return new PendingWrite(key, content, target, null, FileChannel.open(target, StandardOpenOption.READ));
            }
        } catch (IOException e) {
            // missing, or not a readable file: writing it says what is wrong, if anything
        }
        return writeTemporary(key, content, target);
    }

    private PendingWrite writeTemporary(String key, byte[] content, Path target) throws IOException {
        Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID());
        PendingWrite write = new PendingWrite(key, content, target, temp,
                openCreatingParents(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        try {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                write.channel.write(buffer);
            }
        } catch (IOException e) {
            write.abandon();
            throw e;
        }
        return write;
    }

    /**
     * Opens the file to truncate it, which the kernel (or the file server) dates even when the file is empty
     * already, as POSIX asks of {@code O_TRUNC}. Left empty, a claim holds no block, and removing it costs the
     * collector a tenth of removing one with a byte in it (on a file system that discards freed blocks).
     */
    @Override
    public void touch(String key) {
        try {
            openCreatingParents(path(key), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
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
                    : openCreatingParents(target, StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            channel.position(channel.size());
            return new FileWriter(key, channel, writeBehindThreads);
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
        List<String> names = new ArrayList<>();
        Path directory = path(key);
        boolean deleted = false;
        try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (!name.startsWith(TEMP_PREFIX)) {
                    names.add(name);
                } else if (leftBehind(child)) {
                    deleted |= deleteQuietly(child);
                }
            }
            if (deleted && names.isEmpty()) {
                pruneEmptyDirectories(directory);
            }
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return List.of();
        } catch (IOException e) {
            throw failure("list", key, e);
        }
        return names;
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
        Path source = path(from);
        Path target = path(to);
        try {
            if (durable) {
                try (FileChannel channel = FileChannel.open(source, StandardOpenOption.WRITE)) {
                    channel.force(false);
                }
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    if (durable) {
                        renameDurably(source, target);
                    } else {
                        atomicMove(source, target);
                    }
                    break;
                } catch (NoSuchFileException e) {
                    if (!Files.exists(source)) {
                        // someone moved or deleted it first; take back the directories made for it, if any: a
                        // directory this move did not make may be another writer's, just made
                        if (attempt > 1) {
                            pruneEmptyDirectories(target.getParent());
                        }
                        throw new NoSuchFileException(source.toString());
                    }
                    if (attempt == ATTEMPTS) {
                        throw e;
                    }
                    // renamed first: the target's directory usually exists (a blob's, once it is claimed)
                    createDirectories(target.getParent());
                }
            }
            if (!source.getParent().equals(target.getParent())) {
                pruneEmptyDirectories(source.getParent());
            }
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
            // what a concurrent writer puts into the tree meanwhile stays: that write came after this delete
            Files.walkFileTree(target, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException && !file.equals(target)) {
                        return FileVisitResult.CONTINUE; // renamed or deleted by someone else meanwhile
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    try {
                        unsyncedDirectories.remove(dir);
                    } catch (DirectoryNotEmptyException written) {
                        // a file written into it since it was listed
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone: deleting is idempotent
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
        try {
            pruneEmptyDirectories(target.getParent());
        } catch (IOException e) {
            throw failure("prune the directories above", key, e);
        }
    }

    /**
     * Removes {@code directory} and its ancestors below the root for as long as they are empty and not kept. A
     * directory holding nothing but an empty one kept beside others is empty too: that goes with it.
     */
    private void pruneEmptyDirectories(Path directory) throws IOException {
        for (Path dir = directory; dir != null && dir.startsWith(root) && !dir.equals(root); dir = dir.getParent()) {
            String key = key(dir);
            if (keptWhenEmpty.test(key) || (keptBesideOthers(dir) && holdsOthers(dir.getParent(), dir))) {
                return;
            }
            // one already gone was pruned by someone else: its parent may be empty now too
            try {
                unsyncedDirectories.remove(dir);
            } catch (DirectoryNotEmptyException e) {
                Optional<String> kept = keptBesideOthersIn.apply(key);
                if (kept.isEmpty() || !removeIfEmpty(dir.resolve(kept.get()))) {
                    return;
                }
                try {
                    unsyncedDirectories.remove(dir);
                } catch (DirectoryNotEmptyException holdsMore) {
                    return;
                }
            }
        }
    }

    private String key(Path directory) {
        return "/" + root.relativize(directory);
    }

    private boolean keptBesideOthers(Path directory) {
        Path parent = directory.getParent();
        return parent.startsWith(root) && keptBesideOthersIn.apply(key(parent))
                .filter(directory.getFileName().toString()::equals).isPresent();
    }

    private static boolean holdsOthers(Path parent, Path child) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path entry : entries) {
                if (!entry.equals(child)) {
                    return true;
                }
            }
            return false;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** True when {@code directory} is gone: removed here, since it was empty, or already. */
    private boolean removeIfEmpty(Path directory) throws IOException {
        try {
            unsyncedDirectories.remove(directory);
            return true;
        } catch (DirectoryNotEmptyException written) {
            return false;
        }
    }

    /**
     * Opens a file, creating its directory when it is missing, again if a concurrent delete prunes it before the
     * file exists. The file is opened first: most writes go to a directory that exists, and creating it first
     * cost two system calls and an exception each time.
     */
    private FileChannel openCreatingParents(Path file, StandardOpenOption... options) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return FileChannel.open(file, options);
            } catch (NoSuchFileException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                createDirectories(file.getParent());
            }
        }
    }

    /**
     * Creates a directory and its missing parents, each registered as waiting for the sync of its entry. One pruned
     * again at once is left to the caller's next attempt. No lock is held while a parent is made, so locks are
     * never taken inside one another.
     */
    private void createDirectories(Path directory) throws IOException {
        if (!createDirectory(directory)) {
            createDirectories(directory.getParent());
            createDirectory(directory);
        }
    }

    /** Makes one directory and registers it; false when its parent is missing, true when another writer made it. */
    private boolean createDirectory(Path directory) throws IOException {
        try {
            unsyncedDirectories.create(directory);
        } catch (FileAlreadyExistsException e) {
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
        return true;
    }

    private void renameDurably(Path source, Path target) throws IOException {
        atomicMove(source, target);
        unsyncedDirectories.syncPath(target.getParent(), root);
    }

    static void atomicMove(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the storage directory does not support atomic renames", e);
        }
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (NoSuchFileException e) {
            // the file was deleted at once and its directory pruned: there is no name left to make durable
        }
    }

    private static boolean leftBehind(Path temp) {
        try {
            return Files.getLastModifiedTime(temp).toInstant().isBefore(Instant.now().minus(TEMP_LEFT_BEHIND));
        } catch (IOException e) {
            return false; // gone already, or unreadable: left alone
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
