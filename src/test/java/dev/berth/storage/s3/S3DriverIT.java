package dev.berth.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.StorageException;
import dev.berth.storage.StorageDriverContract;
import dev.berth.storage.StorageWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The storage contract held by S3, against an S3-compatible service on loopback; each test under a root of its own. */
class S3DriverIT extends StorageDriverContract {

    private static final long PART = 5L << 20;
    /** The contract's appended files: kept open as multipart uploads from one writer to the next. */
    private static final Predicate<String> APPENDABLE = key -> key.startsWith("/up/");
    private static String bucket;

    @TempDir
    Path spool;
    private String root;
    private S3Driver driver;

    @BeforeAll
    static void createBucket() throws Exception {
        bucket = S3Proxy.get().bucket("berth-driver-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @BeforeEach
    void newRoot() throws Exception {
        root = "/r" + UUID.randomUUID().toString().substring(0, 8) + "/";
        driver = new S3Driver(S3Proxy.get().connection(), bucket, root, PART, ObjectOptions.DEFAULT, spool,
                false, APPENDABLE);
    }

    @Override
    protected StorageDriver driver() {
        return driver;
    }

    @Override
    protected Duration clockStep() {
        return Duration.ofMillis(1_100); // S3 dates objects to the second
    }

    /** Each call is a round trip, so a request's independent calls are made at once (registry.AtOnce). */
    @Test
    void isRemote() {
        assertThat(driver.remote()).isTrue();
    }

    @Test
    void namesObjectsAsDistributionDoesUnderTheRootDirectory() throws Exception {
        driver.putContent("/docker/registry/v2/repositories/a/_layers/sha256/ab/link", bytes("sha256:ab"));
        assertThat(S3Proxy.get().client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key).filter(key -> key.startsWith(root.substring(1))))
                .containsExactly(root.substring(1) + "docker/registry/v2/repositories/a/_layers/sha256/ab/link");
    }

    @Test
    void aWriterKilledMidwayLeavesAWholeFileAsItWas() throws Exception {
        driver.putContent("/whole/data", bytes("before"));
        StorageWriter killed = driver.writer("/whole/data", true);
        byte[] written = new byte[(int) (2 * PART + 3)];
        killed.write(written, 0, written.length); // two parts sent, a third waiting
        assertThat(driver.getContent("/whole/data")).isEqualTo(bytes("before"));
        assertThat(driver.stat("/whole/data").orElseThrow().size()).isEqualTo(6);
    }

    @Test
    void aWriterKilledMidwayLeavesAnAppendedFileWithThePartsItSent() throws Exception {
        driver.putContent("/up/data", bytes("before"));
        StorageWriter killed = driver.writer("/up/data", true);
        byte[] written = new byte[(int) (2 * PART + 3)];
        new Random(1).nextBytes(written);
        // one part sent; the second held until what follows it can be a part, which 3 bytes cannot
        killed.write(written, 0, written.length);
        assertThat(driver.stat("/up/data").orElseThrow().size()).isEqualTo(PART);
        byte[] content = driver.getContent("/up/data");
        assertThat(Arrays.copyOf(content, 6)).isEqualTo(bytes("before"));
        assertThat(Arrays.equals(content, 6, content.length, written, 0, (int) (PART - 6))).isTrue();
    }

    @Test
    void chunksAppendedOneAfterAnotherGoIntoOneUploadAndAreReadWholeOnceMoved() throws Exception {
        byte[][] chunks = {random(7 << 20, 1), random(7 << 20, 2), random(100 << 10, 3), random(2 << 20, 4)};
        try (StorageWriter created = driver.writer("/up/u1/data", false)) {
            assertThat(created.size()).isZero();
        }
        long size = 0;
        for (byte[] chunk : chunks) {
            try (StorageWriter w = driver.writer("/up/u1/data", true)) {
                assertThat(w.size()).isEqualTo(size);
                w.write(chunk, 0, chunk.length);
            }
            size += chunk.length;
            assertThat(driver.stat("/up/u1/data").orElseThrow().size()).isEqualTo(size);
        }
        // one upload: the 100 KiB chunk's part was too small to follow, so the last chunk completed it and added
        // to a new one that copied it first
        assertThat(openUploads()).isEqualTo(1);
        driver.move("/up/u1/data", "/blobs/x/data");
        assertThat(openUploads()).isZero();
        byte[] read = driver.getContent("/blobs/x/data");
        int at = 0;
        for (byte[] chunk : chunks) {
            assertThat(Arrays.equals(read, at, at + chunk.length, chunk, 0, chunk.length)).isTrue();
            at += chunk.length;
        }
        assertThat(read).hasSize(at);
    }

    @Test
    void chunksThatAreNotWholePartsFollowOneAnotherWithoutACopy() throws Exception {
        byte[] first = random((int) PART + (2 << 20), 8);
        byte[] second = random((int) (2 * PART) + 3, 9);
        try (StorageWriter w = driver.writer("/up/u4/data", false)) {
            assertThat(w.size()).isZero();
        }
        for (byte[] chunk : List.of(first, second)) {
            try (StorageWriter w = driver.writer("/up/u4/data", true)) {
                w.write(chunk, 0, chunk.length);
            }
        }
        // each chunk's tail went with its last full part, so each chunk's parts simply follow the last one's
        assertThat(openParts("/up/u4/data")).containsExactly((long) first.length, PART, PART + 3);
        byte[] read = driver.getContent("/up/u4/data");
        assertThat(Arrays.equals(read, 0, first.length, first, 0, first.length)).isTrue();
        assertThat(Arrays.equals(read, first.length, read.length, second, 0, second.length)).isTrue();
    }

    @Test
    void aCutIntoAPartHeldBackKeepsWhatCameBeforeIt() throws Exception {
        byte[] written = random((int) PART + (1 << 20), 10);
        try (StorageWriter w = driver.writer("/up/u5/data", false)) {
            w.write(written, 0, written.length); // a part held back, and 1 MiB after it
            w.truncate(3 << 20);
            assertThat(w.size()).isEqualTo(3 << 20);
            w.write(bytes("end"), 0, 3);
        }
        byte[] expected = Arrays.copyOf(written, (3 << 20) + 3);
        System.arraycopy(bytes("end"), 0, expected, 3 << 20, 3);
        assertThat(driver.getContent("/up/u5/data")).isEqualTo(expected);
    }

    @Test
    void aChunkThatFailsAfterASmallLastPartIsTakenBackWhole() throws Exception {
        byte[] first = random(7 << 20, 5);
        byte[] small = random(1 << 20, 11); // a part too small to follow: the next chunk completes and copies first
        try (StorageWriter w = driver.writer("/up/u2/data", false)) {
            assertThat(w.size()).isZero();
        }
        for (byte[] chunk : List.of(first, small)) {
            try (StorageWriter w = driver.writer("/up/u2/data", true)) {
                w.write(chunk, 0, chunk.length);
            }
        }
        assertThat(openParts("/up/u2/data")).containsExactly(7L << 20, 1L << 20);
        byte[] kept = Arrays.copyOf(first, 8 << 20);
        System.arraycopy(small, 0, kept, 7 << 20, 1 << 20);
        try (StorageWriter failing = driver.writer("/up/u2/data", true)) {
            byte[] cut = random((int) (2 * PART) + (1 << 20), 6);
            failing.write(cut, 0, cut.length); // a new upload: the copied 8 MiB and one part of this chunk
            failing.truncate(kept.length);
        }
        assertThat(driver.stat("/up/u2/data").orElseThrow().size()).isEqualTo(kept.length);
        assertThat(openUploads()).isZero();
        assertThat(driver.getContent("/up/u2/data")).isEqualTo(kept);
    }

    @Test
    void anUploadThatHoldsLessThanTheObjectIsNotTheFile() throws Exception {
        byte[] content = random(6 << 20, 7);
        driver.putContent("/up/u3/data", content);
        // what a writer leaves when killed before the copy of the object into the upload's first parts is done
        String name = root.substring(1) + "up/u3/data";
        S3Proxy.get().client().createMultipartUpload(b -> b.bucket(bucket).key(name));
        assertThat(driver.stat("/up/u3/data").orElseThrow().size()).isEqualTo(content.length);
        try (StorageWriter w = driver.writer("/up/u3/data", true)) {
            assertThat(w.size()).isEqualTo(content.length);
        }
        assertThat(openUploads()).isZero();
        assertThat(driver.getContent("/up/u3/data")).isEqualTo(content);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void anAppendUndoneWholeLeavesTheObjectUntouched() throws Exception {
        driver.putContent("/up/data", bytes("kept"));
        String etag = (String) driver.stat("/up/data").orElseThrow().identity();
        try (StorageWriter w = driver.writer("/up/data", true)) {
            byte[] appended = new byte[(int) PART + 1];
            w.write(appended, 0, appended.length);
            w.truncate(4);
        }
        assertThat(driver.getContent("/up/data")).isEqualTo(bytes("kept"));
        assertThat(driver.stat("/up/data").orElseThrow().identity()).isEqualTo(etag);
    }

    @Test
    void everyObjectWrittenGetsTheConfiguredCannedAcl() throws Exception {
        S3Driver publicRead = new S3Driver(S3Proxy.get().connection(), bucket, root, PART,
                new ObjectOptions(null, false, null, "public-read"), spool, false, APPENDABLE);
        publicRead.putContent("/whole", bytes("x"));
        try (StorageWriter w = publicRead.writer("/up/acl/data", false)) {
            byte[] parts = random((int) (2 * PART) + 1, 12); // a multipart upload
            w.write(parts, 0, parts.length);
        }
        assertThat(readableByAll("/whole")).isTrue();
        assertThat(readableByAll("/up/acl/data")).isTrue();
        publicRead.move("/up/acl/data", "/moved");
        assertThat(readableByAll("/moved")).isTrue();

        driver.putContent("/default", bytes("x")); // no ACL sent: the object is private
        assertThat(readableByAll("/default")).isFalse();
    }

    private boolean readableByAll(String key) throws Exception {
        return S3Proxy.get().client().getObjectAcl(b -> b.bucket(bucket).key(root.substring(1) + key.substring(1)))
                .grants().stream().anyMatch(grant -> grant.permission() == Permission.READ
                        && "http://acs.amazonaws.com/groups/global/AllUsers".equals(grant.grantee().uri()));
    }

    @Test
    void aMissingBucketIsAFailureOfTheStorageNotAMissingKey() throws Exception {
        S3Driver nowhere = new S3Driver(S3Proxy.get().connection(), "no-such-bucket-" + UUID.randomUUID(), "", PART,
                ObjectOptions.DEFAULT, spool, false, APPENDABLE);
        assertThatThrownBy(() -> nowhere.getContent("/docker/registry/v2/x/link"))
                .isInstanceOf(StorageException.class).isNotInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> nowhere.stat("/docker/registry/v2/x/link"))
                .isInstanceOf(StorageException.class).isNotInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> nowhere.list("/docker/registry/v2/repositories"))
                .isInstanceOf(StorageException.class).isNotInstanceOf(NotFoundException.class);
    }

    @Test
    void deletingADirectoryOfMoreFilesThanOneRequestDeletesTakesThemAll() throws Exception {
        try (var puts = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1_000; i++) { // with the key's own name, one more than one request takes
                String key = "/many/" + i;
                puts.submit(() -> driver.putContent(key, bytes("x")));
            }
        }
        assertThat(driver.list("/many")).hasSize(1_000);
        driver.delete("/many");
        assertThat(driver.stat("/many")).isEmpty();
        assertThat(S3Proxy.get().client().listObjectsV2(b -> b.bucket(bucket).prefix(root.substring(1) + "many/"))
                .contents()).isEmpty();
    }

    @Test
    void deletingADirectoryGivesUpTheUploadsAWriterLeftUnfinishedInIt() throws Exception {
        StorageWriter killed = driver.writer("/uploads/1/data", false);
        byte[] parts = new byte[(int) (2 * PART)];
        killed.write(parts, 0, parts.length); // one part sent and one held, as a server killed before closing leaves it
        assertThat(openUploads()).isEqualTo(1);
        driver.delete("/uploads/1");
        assertThat(openUploads()).isZero();
    }

    /** The sizes of the parts of the upload open on the key. */
    private List<Long> openParts(String key) throws Exception {
        String name = root.substring(1) + key.substring(1);
        String id = S3Proxy.get().client().listMultipartUploads(b -> b.bucket(bucket).prefix(name)).uploads()
                .getFirst().uploadId();
        return S3Proxy.get().client().listParts(b -> b.bucket(bucket).key(name).uploadId(id)).parts().stream()
                .map(Part::size).toList();
    }

    private long openUploads() throws Exception {
        return S3Proxy.get().client().listMultipartUploads(b -> b.bucket(bucket).prefix(root.substring(1)))
                .uploads().size();
    }

    @Test
    void readingFromTheEndGivesNothing() throws Exception {
        driver.putContent("/f", bytes("0123"));
        try (var in = driver.reader("/f", 4)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
