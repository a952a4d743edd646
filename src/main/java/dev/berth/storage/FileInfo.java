package dev.berth.storage;

import java.time.Duration;
import java.time.Instant;

/**
 * What a driver knows of a key without reading it.
 *
 * @param identity what tells this file apart from an earlier one at the same key (the inode on a filesystem,
 *                 where every replacement is a rename of a new file); {@code null} when the backend has none
 */
public record FileInfo(String key, long size, Instant modified, boolean directory, Object identity) {

    /**
     * Longer than the step of any file system's clock: ext3, ext4 with small inodes, many NFS and FUSE mounts keep
     * whole seconds, and a file rewritten within the same second (or a new file that got the old one's inode back)
     * keeps its size and time.
     */
    private static final Duration SETTLING = Duration.ofSeconds(2);

    /**
     * Whether the file was last changed so long before {@code now} that any change from now on gives it another
     * modification time: only then can {@link #sameVersionAs} tell this version from the next. On a network file
     * system the times are the file server's: its clock must not run seconds behind this host's.
     */
    public boolean settledBy(Instant now) {
        return modified.isBefore(now.minus(SETTLING));
    }

    /** Whether both describe the same file (or directory), changed since or not. */
    public boolean sameFileAs(FileInfo other) {
        return identity != null && identity.equals(other.identity);
    }

    /** Whether both describe the same unchanged file, so that content read for one is the other's too. */
    public boolean sameVersionAs(FileInfo other) {
        return sameFileAs(other) && size == other.size && modified.equals(other.modified);
    }
}
