package dev.berth.storage.filesystem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Small files written whole and durably for a {@link FilesystemDriver}: each to a temporary file beside its target,
 * synced, then renamed over it; then the directory is synced so the new name survives a crash, and so is the path
 * to it (see {@link DirectoryTree#syncPath}). Thread-safe.
 */
final class DurableWrites {

    /**
     * How long a put writes its file again while concurrent deletes of its tree take it before the rename. A
     * count would not do: when syncing a file takes longer than the time between two deletes, every attempt
     * loses until the deletes stop.
     */
    private static final Duration PUT_RETRY_LIMIT = Duration.ofSeconds(10);

    private final DirectoryTree tree;

    DurableWrites(DirectoryTree tree) {
        this.tree = tree;
    }

    void put(String key, byte[] content) {
        Path target = tree.path(key);
        long deadline = System.nanoTime() + PUT_RETRY_LIMIT.toNanos();
        while (true) {
            PendingWrite write = null;
            try {
                write = writeTemporary(key, content, target);
                write.sync();
                write.rename();
                tree.syncPath(target.getParent());
                return;
            } catch (NoSuchFileException e) {
                // a concurrent delete of the tree (a tag deleted while it is pushed) took the temporary file
                // before the rename: write it again, after that delete
                if (System.nanoTime() - deadline > 0) {
                    throw FilesystemDriver.failure("write", key, e);
                }
            } catch (IOException e) {
                throw FilesystemDriver.failure("write", key, e);
            } finally {
                if (write != null) {
                    write.abandon();
                }
            }
        }
    }

    /**
     * Leaves a file that holds its content already as it is: reading it costs a small part of writing it again,
     * whose syncs (the new file, then its directory) were most of a manifest put that tags what is there. It is
     * synced all the same, and its name on its path as a write's would be: another request may have written it
     * moments ago and still be syncing it, and what this one acknowledges must be on disk. Syncing what is on disk
     * already asks the disk for no more than a flush.
     *
     * <p>The others are written as {@link #put} writes them, but each step for all the files before the next: every
     * temporary file written, then all synced, then all renamed, then their directories synced. A sync writes more
     * than its file (a journal's commit carries every change made before it; ext4 without a journal writes a new
     * file's new parent directories with it), so the first file's sync writes the directories all of them were
     * made in, each once, with every entry they will hold.
     */
    void ensure(Map<String, byte[]> contents) {
        List<PendingWrite> writes = new ArrayList<>(contents.size());
        try {
            // a concurrent delete of a tree (a tag deleted while it is pushed) may prune a directory as its
            // temporary file is made, or take that file before the rename: such a key is written on its own
            for (Map.Entry<String, byte[]> entry : contents.entrySet()) {
                try {
                    writes.add(pendingWrite(entry.getKey(), entry.getValue()));
                } catch (NoSuchFileException e) {
                    put(entry.getKey(), entry.getValue());
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
                    put(write.key, write.content);
                }
            }
            tree.syncPaths(directories);
        } catch (IOException e) {
            throw FilesystemDriver.failure("write", String.join(", ", contents.keySet()), e);
        } finally {
            writes.forEach(PendingWrite::abandon);
        }
    }

    /** The file itself, to be synced, when it holds the content already; else a temporary file that holds it. */
    private PendingWrite pendingWrite(String key, byte[] content) throws IOException {
        Path target = tree.path(key);
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
        Path temp = target.resolveSibling(FilesystemDriver.TEMP_PREFIX + UUID.randomUUID());
        PendingWrite write = new PendingWrite(key, content, target, temp,
                tree.openCreatingParents(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
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
}
