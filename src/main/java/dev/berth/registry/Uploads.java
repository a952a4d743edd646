package dev.berth.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.UploadId;
import dev.berth.storage.AtOnce;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.StorageException;
import dev.berth.storage.StorageWriter;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath.BlobData;
import dev.berth.storage.layout.StoragePath.UploadData;
import dev.berth.storage.layout.StoragePath.UploadRoot;
import dev.berth.storage.layout.StoragePath.UploadStartedAt;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Blob upload sessions, kept where distribution keeps them ({@code _uploads/<id>/data}), so a session
 * survives a restart. Bytes are hashed as they are appended; the running SHA-256 lives in memory, and a
 * session whose hash state is lost (restart, or a session distribution began) is rehashed from its data when
 * it completes. A chunk is all or nothing: if its body fails midway, the data is cut back to where it was.
 *
 * <p>Thread-safe: requests to one session are serialized by a per-session lock.
 *
 * <p>The hash states held in memory are bounded in number and forgotten when idle: a client can start sessions
 * and leave them without end (the purge of stale uploads deletes their files days later), and each holds half a
 * KiB of heap. A session forgotten is rehashed from its data when it completes, as after a restart. (Should one be
 * forgotten during a request and another request of the same session come meanwhile, which a client following the
 * spec never sends, the two could write at once: the digest checked against the data on completion still keeps
 * what they made from being stored.)
 */
public final class Uploads {

    private static final int BUFFER_SIZE = 256 * 1024;
    /** About 2 MiB of heap; only an upload past this many others at once, or idle for the hour, is rehashed. */
    private static final int HASH_STATES = 4_096;
    private static final Duration HASH_STATE_IDLE = Duration.ofHours(1);

    private final StorageDriver driver;
    private final Blobs blobs;
    private final Clock clock;
    private final AtOnce atOnce;
    private final Cache<UploadRoot, Session> sessions = Caffeine.newBuilder()
            .maximumSize(HASH_STATES)
            .expireAfterAccess(HASH_STATE_IDLE)
            .build();

    Uploads(StorageDriver driver, Blobs blobs, Clock clock) {
        this.driver = driver;
        this.blobs = blobs;
        this.clock = clock;
        this.atOnce = new AtOnce(driver);
    }

    public UploadStatus start(RepositoryName repository) {
        UploadId id = UploadId.random();
        byte[] startedAt = DateTimeFormatter.ISO_INSTANT.format(clock.instant()).getBytes(StandardCharsets.UTF_8);
        // Written without a sync: only the purge of stale uploads reads it, and it falls back to the data's last
        // write when the file is missing or torn. A session is no promise of durability (a 202, not a 201): after
        // a crash its client starts over. This saves two of the six syncs a pushed blob used to cost.
        atOnce.run(List.of(() -> {
            try (StorageWriter writer = driver.writer(Layout.key(new UploadStartedAt(repository, id)), false)) {
                writer.write(startedAt, 0, startedAt.length);
            }
        }, () -> {
            try (StorageWriter ignored = driver.writer(Layout.key(new UploadData(repository, id)), false)) {
                // an empty data file marks the session as open
            }
        }));
        sessions.put(new UploadRoot(repository, id), new Session());
        return new UploadStatus(repository, id, 0);
    }

    public UploadStatus status(RepositoryName repository, UploadId id) {
        long size = driver.statFile(Layout.key(new UploadData(repository, id)))
                .orElseThrow(() -> new BlobUploadUnknownException(id))
                .size();
        return new UploadStatus(repository, id, size);
    }

    public UploadStatus append(RepositoryName repository, UploadId id, Chunk chunk) {
        Session session = sessionCheckedUnderLock(repository, id);
        session.lock.lock();
        try {
            return new UploadStatus(repository, id, write(repository, id, session, chunk));
        } finally {
            session.lock.unlock();
        }
    }

    /**
     * Appends the final chunk, if any, checks the whole content against {@code expected}, and makes it a blob
     * of the repository. On a mismatch the session is discarded and nothing is stored.
     */
    public BlobContent complete(RepositoryName repository, UploadId id, Optional<Chunk> last, Digest expected) {
        UploadRoot root = new UploadRoot(repository, id);
        Session session = sessionCheckedUnderLock(repository, id);
        session.lock.lock();
        try {
            long size = last.isPresent() ? write(repository, id, session, last.get()) : status(repository, id).size();
            Digest actual = session.digest(expected.algorithm(), size)
                    .orElseGet(() -> rehash(repository, id, expected.algorithm()));
            if (!actual.equals(expected)) {
                discard(root);
                throw new DigestMismatchException(expected, actual);
            }
            String data = Layout.key(new UploadData(repository, id));
            blobs.claim(expected);
            if (!blobs.storedExpectingNot(expected)) {
                driver.move(data, Layout.key(new BlobData(expected)));
            }
            // the session's files are no longer needed, whether or not the link is written: the data is moved
            atOnce.run(List.of(() -> blobs.link(repository, expected), () -> discard(root)));
            return new BlobContent(expected, size);
        } finally {
            session.lock.unlock();
        }
    }

    /**
     * Stores a whole blob sent in one request (the spec's single POST). The session it goes through is never
     * handed to the client, so it is discarded whether the upload succeeds or fails.
     */
    public BlobContent upload(RepositoryName repository, Chunk content, Digest expected) {
        UploadId id = start(repository).id();
        try {
            return complete(repository, id, Optional.of(content), expected);
        } catch (RuntimeException e) {
            discard(new UploadRoot(repository, id));
            throw e;
        }
    }

    /** Deletes a session, once a chunk being written to it is done, so that the chunk cannot bring it back. */
    public void cancel(RepositoryName repository, UploadId id) {
        Session session = sessionCheckedUnderLock(repository, id);
        session.lock.lock();
        try {
            status(repository, id);
            discard(new UploadRoot(repository, id));
        } finally {
            session.lock.unlock();
        }
    }

    /**
     * Links a blob another repository holds (or, without {@code from}, any stored blob) into this one, so the
     * client need not send it again. Empty when there is nothing to link.
     */
    public Optional<BlobContent> mount(RepositoryName repository, Digest digest, Optional<RepositoryName> from) {
        if (mountable(digest, from).isEmpty()) {
            return Optional.empty();
        }
        // claimed, then looked at again: the collector may have been deleting it meanwhile
        blobs.claim(digest);
        Optional<BlobContent> source = mountable(digest, from);
        source.ifPresent(content -> blobs.link(repository, digest));
        return source;
    }

    private Optional<BlobContent> mountable(Digest digest, Optional<RepositoryName> from) {
        return from.isPresent()
                ? from.filter(f -> blobs.linked(f, digest)).flatMap(f -> blobs.stored(digest))
                : blobs.stored(digest);
    }

    /**
     * The session of a request that looks its upload up once it holds the lock: by the data's size, or by appending,
     * which only data that is there takes. One this server knows (started here) needs no look before, which spares
     * each PATCH and PUT of a blob a look (on S3 two or three calls); an ID it does not know is looked up first all
     * the same, so that unknown IDs make no sessions.
     */
    private Session sessionCheckedUnderLock(RepositoryName repository, UploadId id) {
        UploadRoot root = new UploadRoot(repository, id);
        Session known = sessions.getIfPresent(root);
        if (known != null) {
            return known;
        }
        status(repository, id);
        return sessions.get(root, unknown -> new Session());
    }

    /** How many sessions' hash states are held now. */
    long hashStatesHeld() {
        sessions.cleanUp();
        return sessions.estimatedSize();
    }

    private void discard(UploadRoot root) {
        driver.delete(Layout.key(root));
        sessions.invalidate(root);
    }

    /** Appends a chunk and returns the new size; on any failure the data is cut back and the hash restored. */
    private long write(RepositoryName repository, UploadId id, Session session, Chunk chunk) {
        try (StorageWriter writer = appender(repository, id)) {
            long start = writer.size();
            if (chunk.start().isPresent() && chunk.start().getAsLong() != start) {
                throw new UploadOutOfOrderException(new UploadStatus(repository, id, start));
            }
            MessageDigest before = session.snapshot(start);
            try {
                chunk.body().transferTo(buffer -> {
                    session.update(buffer.duplicate());
                    writer.write(buffer);
                });
                long written = writer.size() - start;
                if (chunk.length().isPresent() && chunk.length().getAsLong() != written) {
                    throw new BlobUploadInvalidException("received " + written + " bytes but "
                            + chunk.length().getAsLong() + " were announced");
                }
            } catch (IOException | RuntimeException e) {
                writer.truncate(start);
                session.restore(before, start);
                // only the body's own failure is the client's; storage failing (a full disk) is the server's
                if (e instanceof IOException) {
                    throw new BlobUploadInvalidException("the upload body ended early: " + e.getMessage());
                }
                throw (RuntimeException) e;
            }
            return writer.size();
        }
    }

    /** The upload's data opened to append to; unknown when it is gone (completed, cancelled, purged). */
    private StorageWriter appender(RepositoryName repository, UploadId id) {
        try {
            return driver.writer(Layout.key(new UploadData(repository, id)), true);
        } catch (NotFoundException e) {
            sessions.invalidate(new UploadRoot(repository, id));
            throw new BlobUploadUnknownException(id);
        }
    }

    private Digest rehash(RepositoryName repository, UploadId id, DigestAlgorithm algorithm) {
        MessageDigest md = algorithm.newMessageDigest();
        try (InputStream in = driver.reader(Layout.key(new UploadData(repository, id)), 0)) {
            byte[] buffer = new byte[BUFFER_SIZE];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                md.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new StorageException("cannot read upload " + id, e);
        }
        return Digest.of(algorithm, md.digest());
    }

    /** The running SHA-256 of a session, valid only while it covers every byte of the data file. */
    private static final class Session {
        final ReentrantLock lock = new ReentrantLock();
        private MessageDigest sha256 = DigestAlgorithm.SHA256.newMessageDigest();
        private long hashed;

        /** A copy of the state to restore if the coming chunk fails, or null when the state is already lost. */
        MessageDigest snapshot(long dataSize) {
            if (sha256 == null || hashed != dataSize) {
                sha256 = null;
                return null;
            }
            try {
                return (MessageDigest) sha256.clone();
            } catch (CloneNotSupportedException e) {
                sha256 = null;
                return null;
            }
        }

        void update(ByteBuffer buffer) {
            if (sha256 != null) {
                hashed += buffer.remaining();
                sha256.update(buffer);
            }
        }

        void restore(MessageDigest before, long size) {
            sha256 = before;
            hashed = size;
        }

        Optional<Digest> digest(DigestAlgorithm algorithm, long dataSize) {
            if (algorithm != DigestAlgorithm.SHA256 || sha256 == null || hashed != dataSize) {
                return Optional.empty();
            }
            try {
                // digest a copy: if storing the blob fails, the session can still complete later
                return Optional.of(Digest.of(algorithm, ((MessageDigest) sha256.clone()).digest()));
            } catch (CloneNotSupportedException e) {
                return Optional.empty();
            }
        }
    }
}
