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
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        killed.write(written, 0, written.length); // two parts sent, a third waiting
        assertThat(driver.stat("/up/data").orElseThrow().size()).isEqualTo(2 * PART);
        byte[] content = driver.getContent("/up/data");
        assertThat(Arrays.copyOf(content, 6)).isEqualTo(bytes("before"));
        assertThat(Arrays.equals(content, 6, content.length, written, 0, (int) (2 * PART - 6))).isTrue();
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
        // the two 7 MiB chunks are two parts of one upload: nothing was copied to add the second
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
    void aChunkThatFailsAfterASmallLastPartIsTakenBackWhole() throws Exception {
        byte[] first = random(7 << 20, 5); // parts of 5 and 2 MiB: the next chunk completes and copies them first
        try (StorageWriter w = driver.writer("/up/u2/data", false)) {
            assertThat(w.size()).isZero();
        }
        try (StorageWriter w = driver.writer("/up/u2/data", true)) {
            w.write(first, 0, first.length);
        }
        try (StorageWriter failing = driver.writer("/up/u2/data", true)) {
            byte[] cut = random(8 << 20, 6);
            failing.write(cut, 0, cut.length); // a new upload: the copied 7 MiB and a part of this chunk
            failing.truncate(first.length);
        }
        assertThat(driver.stat("/up/u2/data").orElseThrow().size()).isEqualTo(first.length);
        assertThat(openUploads()).isZero();
        assertThat(driver.getContent("/up/u2/data")).isEqualTo(first);
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
    void deletingADirectoryGivesUpTheUploadsAWriterLeftUnfinishedInIt() throws Exception {
        StorageWriter killed = driver.writer("/uploads/1/data", false);
        byte[] part = new byte[(int) PART];
        killed.write(part, 0, part.length); // one part sent, as a server killed before closing leaves it
        assertThat(openUploads()).isEqualTo(1);
        driver.delete("/uploads/1");
        assertThat(openUploads()).isZero();
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
