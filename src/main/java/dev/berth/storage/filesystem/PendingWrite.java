package dev.berth.storage.filesystem;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A small file that {@link DurableWrites} is writing, one step at a time: open on a temporary file beside the target
 * to rename over it, or on the target itself when that holds the content already. Several are taken through each
 * step before the next, so that one sync can write what several would (see {@link DurableWrites#ensure}).
 */
final class PendingWrite {
    final String key;
    final byte[] content;
    final Path target;
    final FileChannel channel;
    private Path temp;

    PendingWrite(String key, byte[] content, Path target, Path temp, FileChannel channel) {
        this.key = key;
        this.content = content;
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    void sync() throws IOException {
        channel.force(false);
        channel.close();
    }

    void rename() throws IOException {
        if (temp != null) {
            DirectoryTree.atomicMove(temp, target);
            temp = null;
        }
    }

    /** Closes the file, and removes the temporary one unless it was renamed (after a failure, say). */
    void abandon() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // after a failure, which is what is reported
        }
        if (temp != null) {
            FilesystemDriver.deleteQuietly(temp);
        }
    }
}
