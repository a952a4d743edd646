package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.UploadId;
import dev.berth.storage.FileInfo;
import dev.berth.storage.ForwardingStorageDriver;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.StorageException;
import dev.berth.storage.StorageWriter;
import dev.berth.storage.filesystem.FilesystemDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath.UploadRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadsTest {

    private static final RepositoryName REPO = RepositoryName.parse("team/app");

    @TempDir
    Path root;

    private Registry registry() {
        return Registry.over(new FilesystemDriver(root), true, ManifestRules.NO_URLS, Clock.systemUTC());
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] joined(byte[] first, byte[] second) {
        byte[] whole = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        return whole;
    }

    private static Chunk chunk(byte[] bytes, long start) {
        return new Chunk(new ByteArrayInputStream(bytes), OptionalLong.of(start), OptionalLong.of(bytes.length));
    }

    /** A body that delivers some bytes and then fails, as a client that disconnects midway. */
    private static InputStream failingAfter(byte[] bytes) {
        return new InputStream() {
            private final InputStream delegate = new ByteArrayInputStream(bytes);

            @Override
            public int read() throws IOException {
                int b = delegate.read();
                if (b < 0) {
                    throw new IOException("connection reset");
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = delegate.read(buffer, offset, length);
                if (n < 0) {
                    throw new IOException("connection reset");
                }
                return n;
            }
        };
    }

    /** Abandoned sessions must not fill the heap: their hash states are bounded, and a forgotten one rehashed. */
    @Test
    void holdsABoundedNumberOfHashStatesAndCompletesAForgottenSessionAllTheSame() {
        Registry registry = registry();
        byte[] first = random(1000);
        byte[] second = random(10);
        UploadStatus oldest = registry.uploads().start(REPO);
        registry.uploads().append(REPO, oldest.id(), chunk(first, 0));

        for (int i = 0; i < 5_000; i++) {
            UploadStatus abandoned = registry.uploads().start(REPO);
            registry.uploads().append(REPO, abandoned.id(), chunk(new byte[] {(byte) i}, 0));
        }

        assertThat(registry.uploads().hashStatesHeld()).isLessThanOrEqualTo(4_096);
        byte[] whole = joined(first, second);
        Digest digest = Digest.sha256(whole);
        assertThat(registry.uploads().complete(REPO, oldest.id(), Optional.of(chunk(second, 1000)), digest).size())
                .isEqualTo(1010);
        assertThat(registry.blobs().open(digest, 0)).hasBinaryContent(whole);
    }

    @Test
    void assemblesChunksIntoABlob() {
        Registry registry = registry();
        byte[] a = random(1000);
        byte[] b = random(500);
        UploadStatus session = registry.uploads().start(REPO);
        registry.uploads().append(REPO, session.id(), chunk(a, 0));
        registry.uploads().append(REPO, session.id(), chunk(b, 1000));
        byte[] whole = joined(a, b);
        BlobContent blob = registry.uploads().complete(REPO, session.id(), Optional.empty(), Digest.sha256(whole));
        assertThat(blob.size()).isEqualTo(1500);
        assertThat(registry.blobs().stat(REPO, Digest.sha256(whole)).size()).isEqualTo(1500);
    }

    /** A chunked upload as docker sends it (POST, PATCH, PUT): on S3 each look at the upload is two or three calls. */
    @Test
    void aChunkedUploadIsLookedAtOnceAndStillFoundGone() {
        AtomicInteger looks = new AtomicInteger();
        Registry registry = Registry.over(new ForwardingStorageDriver(new FilesystemDriver(root)) {
            @Override
            public Optional<FileInfo> stat(String key) {
                return count(key, delegate.stat(key));
            }

            @Override
            public Optional<FileInfo> statFile(String key) {
                return count(key, delegate.statFile(key));
            }

            private Optional<FileInfo> count(String key, Optional<FileInfo> info) {
                if (key.contains("/_uploads/")) {
                    looks.incrementAndGet();
                }
                return info;
            }
        }, true, ManifestRules.NO_URLS, Clock.systemUTC());
        byte[] a = random(700);
        UploadId id = registry.uploads().start(REPO).id();
        registry.uploads().append(REPO, id, chunk(a, 0));
        assertThat(looks).hasValue(0); // the append itself finds the data there
        registry.uploads().complete(REPO, id, Optional.empty(), Digest.sha256(a));
        assertThat(looks).hasValue(1);

        // an upload removed behind this server's back (the purge, another server) is unknown all the same, and a
        // chunk sent to it does not bring it back
        UploadId gone = registry.uploads().start(REPO).id();
        registry.uploads().append(REPO, gone, chunk(a, 0));
        new FilesystemDriver(root).delete(Layout.key(new UploadRoot(REPO, gone)));
        assertThatThrownBy(() -> registry.uploads().append(REPO, gone, chunk(a, 700)))
                .isInstanceOf(BlobUploadUnknownException.class);
        assertThatThrownBy(() -> registry.uploads().complete(REPO, gone, Optional.of(chunk(a, 700)),
                Digest.sha256(joined(a, a)))).isInstanceOf(BlobUploadUnknownException.class);
        assertThatThrownBy(() -> registry.uploads().complete(REPO, gone, Optional.empty(), Digest.sha256(a)))
                .isInstanceOf(BlobUploadUnknownException.class);
        assertThat(root.resolve(Layout.key(new UploadRoot(REPO, gone)).substring(1))).doesNotExist();
    }

    @Test
    void undoesAChunkWhoseBodyFailsMidway() {
        Registry registry = registry();
        byte[] a = random(300);
        UploadStatus session = registry.uploads().start(REPO);
        registry.uploads().append(REPO, session.id(), chunk(a, 0));
        assertThatThrownBy(() -> registry.uploads().append(REPO, session.id(),
                Chunk.streamed(failingAfter(random(200)))))
                .isInstanceOf(BlobUploadInvalidException.class);
        assertThat(registry.uploads().status(REPO, session.id()).size()).isEqualTo(300);
        BlobContent blob = registry.uploads().complete(REPO, session.id(), Optional.empty(), Digest.sha256(a));
        assertThat(blob.digest()).isEqualTo(Digest.sha256(a));
    }

    @Test
    void reportsAFullDiskAsAStorageFailureAndUndoesTheChunk() {
        Registry registry = Registry.over(new DiskFullAfter(root, 400), true, ManifestRules.NO_URLS,
                Clock.systemUTC());
        byte[] a = random(300);
        UploadStatus session = registry.uploads().start(REPO);
        registry.uploads().append(REPO, session.id(), chunk(a, 0));
        // the client sent every byte: the failure is the server's (500), not a bad upload (400)
        assertThatThrownBy(() -> registry.uploads().append(REPO, session.id(), chunk(random(200), 300)))
                .isExactlyInstanceOf(StorageException.class)
                .hasMessageContaining("No space left on device");
        assertThat(registry.uploads().status(REPO, session.id()).size()).isEqualTo(300);
        BlobContent blob = registry.uploads().complete(REPO, session.id(), Optional.empty(), Digest.sha256(a));
        assertThat(blob.digest()).isEqualTo(Digest.sha256(a));
    }

    /** A file system that refuses to let any file grow past {@code limit} bytes, as a full disk does. */
    private static final class DiskFullAfter extends ForwardingStorageDriver {
        private final long limit;

        DiskFullAfter(Path root, long limit) {
            super(new FilesystemDriver(root));
            this.limit = limit;
        }

        @Override
        public StorageWriter writer(String key, boolean append) {
            StorageWriter writer = delegate.writer(key, append);
            return new StorageWriter() {
                @Override
                public long size() {
                    return writer.size();
                }

                @Override
                public void write(byte[] buffer, int offset, int length) {
                    long room = Math.max(0, limit - writer.size());
                    writer.write(buffer, offset, (int) Math.min(room, length));
                    if (room < length) {
                        throw new StorageException("cannot write " + key + ": No space left on device",
                                new IOException("No space left on device"));
                    }
                }

                @Override
                public void truncate(long size) {
                    writer.truncate(size);
                }

                @Override
                public void close() {
                    writer.close();
                }
            };
        }
    }

    @Test
    void refusesAChunkShorterThanAnnounced() {
        Registry registry = registry();
        UploadStatus session = registry.uploads().start(REPO);
        assertThatThrownBy(() -> registry.uploads().append(REPO, session.id(), new Chunk(
                new ByteArrayInputStream(random(10)), OptionalLong.of(0), OptionalLong.of(20))))
                .isInstanceOf(BlobUploadInvalidException.class);
        assertThat(registry.uploads().status(REPO, session.id()).size()).isZero();
    }

    @Test
    void completesASessionBegunBeforeARestartByRehashingIt() {
        byte[] a = random(4000);
        UploadStatus session = registry().uploads().start(REPO);
        registry().uploads().append(REPO, session.id(), chunk(a, 0));
        // a new Registry has none of the old one's hash state, as after a restart
        Registry restarted = registry();
        assertThat(restarted.uploads().status(REPO, session.id()).size()).isEqualTo(4000);
        byte[] b = random(10);
        restarted.uploads().append(REPO, session.id(), chunk(b, 4000));
        byte[] whole = joined(a, b);
        assertThat(restarted.uploads().complete(REPO, session.id(), Optional.empty(), Digest.sha256(whole)).size())
                .isEqualTo(4010);
    }

    @Test
    void completesWithASha512Digest() {
        Registry registry = registry();
        byte[] a = random(100);
        Digest sha512 = Digest.of(DigestAlgorithm.SHA512, DigestAlgorithm.SHA512.newMessageDigest().digest(a));
        UploadStatus session = registry.uploads().start(REPO);
        registry.uploads().append(REPO, session.id(), chunk(a, 0));
        assertThat(registry.uploads().complete(REPO, session.id(), Optional.empty(), sha512).digest()).isEqualTo(sha512);
    }

    @Test
    void discardsTheSessionAndStoresNothingOnADigestMismatch() {
        Registry registry = registry();
        byte[] a = random(100);
        UploadStatus session = registry.uploads().start(REPO);
        registry.uploads().append(REPO, session.id(), chunk(a, 0));
        Digest wrong = Digest.sha256(random(5));
        assertThatThrownBy(() -> registry.uploads().complete(REPO, session.id(), Optional.empty(), wrong))
                .isInstanceOf(DigestMismatchException.class);
        assertThatThrownBy(() -> registry.uploads().status(REPO, session.id()))
                .isInstanceOf(BlobUploadUnknownException.class);
        assertThatThrownBy(() -> registry.blobs().stat(REPO, Digest.sha256(a))).isInstanceOf(BlobUnknownException.class);
        assertThatThrownBy(() -> registry.blobs().stat(REPO, wrong)).isInstanceOf(BlobUnknownException.class);
    }

    @Test
    void mountsOnlyFromARepositoryThatHasTheBlob() {
        Registry registry = registry();
        byte[] a = random(64);
        RepositoryName other = RepositoryName.parse("other/app");
        UploadStatus session = registry.uploads().start(REPO);
        Digest digest = registry.uploads().complete(REPO, session.id(), Optional.of(chunk(a, 0)), Digest.sha256(a))
                .digest();
        assertThat(registry.uploads().mount(other, digest, Optional.of(RepositoryName.parse("nobody/here"))))
                .isEmpty();
        assertThatThrownBy(() -> registry.blobs().stat(other, digest)).isInstanceOf(BlobUnknownException.class);
        assertThat(registry.uploads().mount(other, digest, Optional.of(REPO))).isPresent();
        assertThat(registry.blobs().stat(other, digest).size()).isEqualTo(64);
    }

    /**
     * An object store's file appears when its writer closes (S3: the multipart upload completes), so a cancel that
     * deleted the session while a chunk was still arriving would see the chunk's close bring it back.
     */
    @Test
    void aCancelWaitsForTheChunkArrivingSoThatTheChunkCannotBringTheSessionBack() throws Exception {
        Registry registry = Registry.over(new ForwardingStorageDriver(new FilesystemDriver(root)) {
            @Override
            public StorageWriter writer(String key, boolean append) {
                return new StoredOnClose(delegate, key, append ? delegate.getContent(key) : new byte[0]);
            }
        }, true, ManifestRules.NO_URLS, Clock.systemUTC());
        UploadId id = registry.uploads().start(REPO).id();
        CountDownLatch arriving = new CountDownLatch(1);
        CountDownLatch rest = new CountDownLatch(1);
        InputStream slowBody = new InputStream() {
            private int left = 2;

            @Override
            public int read() throws IOException {
                if (left == 1) {
                    arriving.countDown();
                    try {
                        rest.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                return left-- > 0 ? 'x' : -1;
            }
        };
        Thread patch = Thread.ofVirtual().start(() -> registry.uploads().append(REPO, id,
                new Chunk(slowBody, OptionalLong.empty(), OptionalLong.empty())));
        arriving.await();
        Thread cancel = Thread.ofVirtual().start(() -> registry.uploads().cancel(REPO, id));
        Thread.sleep(200); // the cancel reaches the session while the chunk is still arriving
        rest.countDown();
        patch.join();
        cancel.join();
        assertThatThrownBy(() -> registry.uploads().status(REPO, id)).isInstanceOf(BlobUploadUnknownException.class);
    }

    /** Keeps what is written in memory and stores it whole when closed, as an object store does. */
    private static final class StoredOnClose implements StorageWriter {
        private final StorageDriver storage;
        private final String key;
        private final ByteArrayOutputStream content = new ByteArrayOutputStream();

        StoredOnClose(StorageDriver storage, String key, byte[] existing) {
            this.storage = storage;
            this.key = key;
            content.writeBytes(existing);
        }

        @Override
        public long size() {
            return content.size();
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
            content.write(buffer, offset, length);
        }

        @Override
        public void truncate(long size) {
            byte[] kept = Arrays.copyOf(content.toByteArray(), Math.toIntExact(size));
            content.reset();
            content.writeBytes(kept);
        }

        @Override
        public void close() {
            storage.putContent(key, content.toByteArray());
        }
    }
}
