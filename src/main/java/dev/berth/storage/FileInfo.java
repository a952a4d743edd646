package dev.berth.storage;

import java.time.Instant;

/**
 * What a driver knows of a key without reading it.
 *
 * @param identity what tells this file apart from an earlier one at the same key (the inode on a filesystem,
 *                 where every replacement is a rename of a new file); {@code null} when the backend has none
 */
public record FileInfo(String key, long size, Instant modified, boolean directory, Object identity) {

    /** Whether both describe the same unchanged file, so that content read for one is the other's too. */
    public boolean sameVersionAs(FileInfo other) {
        return identity != null && identity.equals(other.identity) && size == other.size
                && modified.equals(other.modified);
    }
}
