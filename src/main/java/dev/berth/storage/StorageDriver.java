package dev.berth.storage;

import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A hierarchical key → bytes store, the only thing Berth asks of a storage backend. It knows nothing of
 * blobs, manifests or tags. Keys are absolute and slash-separated ({@code /a/b/c}), each component made of
 * {@code [A-Za-z0-9._-]} and none of them {@code .} or {@code ..}; drivers reject any other key.
 *
 * <p>Durability: when {@link #putContent} or {@link #move} returns, the content is on stable storage and
 * appears whole or not at all, even if the process is killed right after.
 *
 * <p>Directories are implied by the keys below them, as prefixes are in an object store: a directory that no
 * longer holds anything is gone, and writing below a directory that another process is emptying still succeeds.
 */
public interface StorageDriver {

    /** The whole content of a small file (links, manifests). */
    byte[] getContent(String key);

    /** Replaces the content at {@code key} atomically and durably. */
    void putContent(String key, byte[] content);

    /**
     * As {@link #putContent}, for a file that often holds {@code content} already (a link that a push of what is
     * there writes again). A driver whose reads cost far less than its durable writes leaves such a file as it is,
     * once it has made the file as durable as writing it would have; by default it is written again.
     */
    default void ensureContent(String key, byte[] content) {
        putContent(key, content);
    }

    /**
     * As {@link #ensureContent} for each key, as one write whose keys are durable together when it returns: a driver
     * may make them so at once (remote storage sends them at once, by default; a file system syncs them together).
     * A crash before it returns may leave any of them written and the others not.
     */
    default void ensureContents(Map<String, byte[]> contents) {
        new AtOnce(this).run(contents.entrySet().stream()
                .<Runnable>map(entry -> () -> ensureContent(entry.getKey(), entry.getValue()))
                .toList());
    }

    /**
     * Marks the key as in use now: creates it, or updates its modification time, dated by the storage's own
     * clock. Every later stat sees it at once, but it is not made durable (a crash of the machine may lose it),
     * which makes it far cheaper than {@link #putContent}: for markers whose loss is harmless. The content of a
     * touched key is unspecified.
     */
    default void touch(String key) {
        putContent(key, new byte[0]);
    }

    /** Reads from {@code offset} to the end; the caller closes the stream. */
    InputStream reader(String key, long offset);

    /**
     * The key's content as a file channel, for drivers that keep files, so that a server can send it with the
     * kernel's help instead of copying it through the heap; empty for backends without files (use
     * {@link #reader}). Throws {@link NotFoundException} when the key does not exist. The caller closes it.
     */
    default Optional<FileChannel> fileChannel(String key) {
        return Optional.empty();
    }

    /**
     * A URL from which a client can fetch the key's content itself for a while, without this server passing it on:
     * for backends that serve content directly (an S3 bucket's presigned URLs); empty for the others. The key is
     * not checked: call {@link #stat} first.
     */
    default Optional<URI> downloadUrl(String key) {
        return Optional.empty();
    }

    /**
     * Opens a file for writing: to append to the file there when {@code append} ({@link NotFoundException} when
     * there is none, so that a file deleted meanwhile is not made again), else to create or replace it.
     */
    StorageWriter writer(String key, boolean append);

    Optional<FileInfo> stat(String key);

    /**
     * The facts of the file at {@code key}; empty when there is none, a directory included. For callers that look
     * for a file (a link, a blob's data): an object store tells a missing file from a directory only by a listing,
     * which this spares.
     */
    default Optional<FileInfo> statFile(String key) {
        return stat(key).filter(info -> !info.directory());
    }

    /**
     * Whether a directory is at {@code key}; on an object store, whether a file's key starts with it and a slash.
     * One look where a listing would read the directory's entries: a catalog page asks it of every repository on it.
     */
    default boolean isDirectory(String key) {
        return stat(key).filter(FileInfo::directory).isPresent();
    }

    /** Names of the direct children of a directory, unsorted; empty when it does not exist. */
    List<String> list(String key);

    /**
     * The direct children of a directory, by whether each holds a file at {@code relative} below it (a relative key
     * such as {@code current/link}); none when the directory does not exist. By default a listing and a look at
     * each child's file, the looks at once where each is a round trip ({@link AtOnce}); a driver may look more
     * cheaply from the directory it lists.
     */
    default ChildrenHolding listHolding(String key, String relative) {
        return ChildrenHolding.lookingAtEach(this, key, relative);
    }

    /** Moves a file atomically and durably, replacing what is at {@code to}; {@link NotFoundException} if absent. */
    void move(String from, String to);

    /**
     * Moves a file atomically, as {@link #move} does, but without making the move durable: for a file already
     * durable under its old name that may be found under either name after a crash (the collector's quarantine).
     */
    default void rename(String from, String to) {
        move(from, to);
    }

    /** Deletes a file or a whole directory tree, and the directories that leaves empty; a missing key is fine. */
    void delete(String key);

    /**
     * Whether each call waits for a round trip over the network (an object store), so that the independent calls of
     * a request are better made at once; a local file system answers them faster than threads start.
     */
    default boolean remote() {
        return false;
    }
}
