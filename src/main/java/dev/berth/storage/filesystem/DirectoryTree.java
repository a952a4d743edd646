package dev.berth.storage.filesystem;

import dev.berth.storage.Keys;
import java.io.IOException;
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
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The directories under a {@link FilesystemDriver}'s root: made when a write needs them, synced into their parents
 * before a durable write returns, and removed when they are left empty, but for those the caller names to keep,
 * always or while their parent holds something else. A concurrent delete may remove a directory just as a write is
 * about to create a file in it; the write makes it again and tries again. Thread-safe.
 */
final class DirectoryTree {

    /** How often a write recreates a directory that a concurrent delete pruned before giving up. */
    private static final int ATTEMPTS = 16;

    private final Path root;
    private final Predicate<String> keptWhenEmpty;
    private final Function<String, Optional<String>> keptBesideOthersIn;
    /** Every directory made or removed here goes through it. */
    private final UnsyncedDirectories unsyncedDirectories;

    DirectoryTree(Path root, Predicate<String> keptWhenEmpty, Function<String, Optional<String>> keptBesideOthersIn,
                  UnsyncedDirectories unsyncedDirectories) {
        this.root = root.toAbsolutePath().normalize();
        this.keptWhenEmpty = keptWhenEmpty;
        this.keptBesideOthersIn = keptBesideOthersIn;
        this.unsyncedDirectories = unsyncedDirectories;
    }

    Path root() {
        return root;
    }

    Path path(String key) {
        return root.resolve(Keys.check(key).substring(1));
    }

    /**
     * Makes a name just given to a file in {@code directory} durable, with every directory on the way to it that was
     * made here and whose own name is not synced yet.
     */
    void syncPath(Path directory) throws IOException {
        syncPaths(List.of(directory));
    }

    /** As {@link #syncPath} for each directory, syncing a parent they share once. */
    void syncPaths(Collection<Path> directories) throws IOException {
        unsyncedDirectories.syncPaths(directories, root);
    }

    /**
     * Opens a file, creating its directory when it is missing, again if a concurrent delete prunes it before the
     * file exists. The directory is looked for first: most writes here make a file in a directory that is new (an
     * upload's, a new blob's claim, a new link's), and an open that fails costs an exception with its stack trace,
     * ten times what a look costs.
     */
    FileChannel openCreatingParents(Path file, StandardOpenOption... options) throws IOException {
        for (int attempt = 1; ; attempt++) {
            createDirectories(file.getParent());
            try {
                return FileChannel.open(file, options);
            } catch (NoSuchFileException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Creates a directory and its missing parents, from the highest down, each registered as waiting for the sync of
     * its entry. Missing ones are found by looking, not by failed creations: each would cost an exception. One pruned
     * again at once is left to the caller's next attempt. No lock is held while a parent is made, so locks are never
     * taken inside one another.
     */
    void createDirectories(Path directory) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path dir = directory; dir != null && !Files.isDirectory(dir); dir = dir.getParent()) {
            missing.push(dir);
        }
        for (Path dir : missing) {
            if (!createDirectory(dir)) {
                return;
            }
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

    /**
     * Renames a file, making the target's directory when it is missing (again if a concurrent delete prunes it) and
     * removing the directories the source leaves empty. A durable move syncs the file before and its new name after.
     * Throws {@code NoSuchFileException} when the source is gone: moved or deleted by someone else first.
     */
    void move(Path source, Path target, boolean durable) throws IOException {
        if (durable) {
            try (FileChannel channel = FileChannel.open(source, StandardOpenOption.WRITE)) {
                channel.force(false);
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                atomicMove(source, target);
                break;
            } catch (NoSuchFileException e) {
                if (!Files.exists(source)) {
                    // take back the directories made for it, if any: a directory this move did not make may be
                    // another writer's, just made
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
        if (durable) {
            syncPath(target.getParent());
        }
        if (!source.getParent().equals(target.getParent())) {
            pruneEmptyDirectories(source.getParent());
        }
    }

    static void atomicMove(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the storage directory does not support atomic renames", e);
        }
    }

    /**
     * Deletes a file or a directory with all it holds. What a concurrent writer puts into the tree meanwhile stays:
     * that write came after this delete.
     */
    void delete(Path target) throws IOException {
        try {
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
        }
    }

    /**
     * Removes {@code directory} and its ancestors below the root for as long as they are empty and not kept. A
     * directory holding nothing but an empty one kept beside others is empty too: that goes with it. Each is looked
     * into before it is removed: a prune ends at a directory that holds something (an upload's, a repository's),
     * and a removal that fails costs an exception with its stack trace.
     */
    void pruneEmptyDirectories(Path directory) throws IOException {
        for (Path dir = directory; dir != null && dir.startsWith(root) && !dir.equals(root); dir = dir.getParent()) {
            String key = key(dir);
            if (keptWhenEmpty.test(key) || (keptBesideOthers(dir) && holdsOthers(dir.getParent(), dir))) {
                return;
            }
            Optional<Path> kept = keptBesideOthersIn.apply(key).map(dir::resolve);
            if (holdsOthers(dir, kept.orElse(null))) {
                return;
            }
            // one already gone was pruned by someone else: its parent may be empty now too
            if ((kept.isPresent() && !removeIfEmpty(kept.get())) || !removeIfEmpty(dir)) {
                return;
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

    /** Whether {@code parent} holds an entry besides {@code child} (which may be null); false when it is gone. */
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
}
