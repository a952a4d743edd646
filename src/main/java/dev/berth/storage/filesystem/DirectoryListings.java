package dev.berth.storage.filesystem;

import dev.berth.storage.ChildrenHolding;
import dev.berth.storage.Keys;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link FilesystemDriver}'s listings of a directory: its children but temporary files, which a listing deletes
 * once only a crash can have left them, and, for each child, whether it holds a given file.
 */
final class DirectoryListings {

    /**
     * Age past which a temporary file can only be what a crash left: a write takes a temporary file for seconds
     * at most. Listings delete such files as they pass them, so that the collector's visits clear them.
     */
    private static final Duration TEMP_LEFT_BEHIND = Duration.ofHours(1);

    private final DirectoryTree tree;

    DirectoryListings(DirectoryTree tree) {
        this.tree = tree;
    }

    /** {@link dev.berth.storage.StorageDriver#list}: the children's names, unsorted; none without the directory. */
    List<String> list(String key) {
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
        Path directory = tree.path(key);
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
                if (!name.startsWith(FilesystemDriver.TEMP_PREFIX)) {
                    others = true;
                    visitor.visit(children, child, name);
                } else if (leftBehind(child)) {
                    deleted |= FilesystemDriver.deleteQuietly(child);
                }
            }
            if (deleted && !others) {
                tree.pruneEmptyDirectories(directory);
            }
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return false;
        } catch (IOException e) {
            throw FilesystemDriver.failure("list", key, e);
        }
        return true;
    }

    /**
     * Looks at each child's file from the directory listed ({@code fstatat} on its descriptor, where the platform's
     * directory streams are secure ones, as Linux's are), not along the whole path from the root each time: a
     * listing of thousands of tags is mostly these looks (docs/performance-changes.md, change 86).
     */
    ChildrenHolding listHolding(String key, String relative) {
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

    private static boolean leftBehind(Path temp) {
        try {
            return Files.getLastModifiedTime(temp).toInstant().isBefore(Instant.now().minus(TEMP_LEFT_BEHIND));
        } catch (IOException e) {
            return false; // gone already, or unreadable: left alone
        }
    }
}
