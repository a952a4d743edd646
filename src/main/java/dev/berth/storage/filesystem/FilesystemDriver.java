package dev.berth.storage.filesystem;

import dev.berth.storage.ChildrenHolding;
import dev.berth.storage.FileInfo;
import dev.berth.storage.Keys;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.StorageException;
import dev.berth.storage.StorageWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    /**
     * Age past which a temporary file can only be what a crash left: a write takes a temporary file for seconds
     * at most. Listings delete such files as they pass them, so that the collector's visits clear them.
     */
    private static final Duration TEMP_LEFT_BEHIND = Duration.ofHours(1);

    private final DirectoryTree tree;
    private final DurableWrites durableWrites;
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
        return eachChild(key, (children, child, name) -> names.add(name)) ? names : List.of();
    }

    /** What a listing does with each child of the directory, but temporary files. */
    @FunctionalInterface
    private interface ChildVisitor {
        void visit(DirectoryStream<Path> children, Path child, String name) throws IOException;
    }

    /**
     * Lists the directory at {@code key}, passing each child to {@code visitor} but temporary files; those a crash
     * left behind are deleted as the listing passes them, and the directory pruned when that empties it. False when
     * there is no such directory.
     */
    private boolean eachChild(String key, ChildVisitor visitor) {
        Path directory = path(key);
        // a look first: a push lists a directory that is usually not there (the quarantined copies of each blob
        // it pushes), and an open that fails costs an exception with its stack trace
        if (!Files.isDirectory(directory)) {
            return false;
        }
        boolean deleted = false;
        boolean others = false;
        try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (!name.startsWith(TEMP_PREFIX)) {
                    others = true;
                    visitor.visit(children, child, name);
                } else if (leftBehind(child)) {
                    deleted |= deleteQuietly(child);
                }
            }
            if (deleted && !others) {
                tree.pruneEmptyDirectories(directory);
            }
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return false;
        } catch (IOException e) {
            throw failure("list", key, e);
        }
        return true;
    }

    /**
     * Looks at each child's file from the directory listed ({@code fstatat} on its descriptor, where the platform's
     * directory streams are secure ones, as Linux's are), not along the whole path from the root each time: a
     * listing of thousands of tags is mostly these looks (docs/performance.md, change 86).
     */
    @Override
    public ChildrenHolding listHolding(String key, String relative) {
        Path below = tree.root().getFileSystem().getPath(Keys.check("/" + relative).substring(1));
        List<String> holding = new ArrayList<>();
        List<String> lacking = new ArrayList<>();
        return eachChild(key, (children, child, name) -> (holdsFile(children, child, below) ? holding : lacking)
                .add(name)) ? new ChildrenHolding(holding, lacking) : ChildrenHolding.NONE;
    }

    /** Whether a file (not a directory) is at {@code below} in {@code child}, an entry {@code children} lists. */
    private static boolean holdsFile(DirectoryStream<Path> children, Path child, Path below) throws IOException {
        Path file = child.resolve(below);
        try {
            BasicFileAttributes attributes = children instanceof SecureDirectoryStream<Path> secure
                    ? secure.getFileAttributeView(child.getFileName().resolve(below), BasicFileAttributeView.class)
                            .readAttributes()
                    : Files.readAttributes(file, BasicFileAttributes.class);
            return !attributes.isDirectory();
        } catch (NoSuchFileException e) {
            return false;
        } catch (FileSystemException e) {
            // a file where the path needs a directory, which Java reports by its message only: no such file either
            for (Path on = file.getParent(); on.startsWith(child); on = on.getParent()) {
                if (Files.exists(on, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(on)) {
                    return false;
                }
            }
            throw e;
        }
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
