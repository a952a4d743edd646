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
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The storage contract held by S3, against an S3-compatible service on loopback; each test under a root of its own. */
class S3DriverIT extends StorageDriverContract {

    private static final long PART = 5L << 20;
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
        driver = new S3Driver(S3Proxy.get().connection(), bucket, root, PART, S3Driver.ObjectOptions.DEFAULT, spool,
                false);
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
    void aWriterThatIsNeverClosedLeavesTheFileAsItWas() throws Exception {
        driver.putContent("/up/data", bytes("before"));
        StorageWriter abandoned = driver.writer("/up/data", true);
        byte[] parts = new byte[(int) (2 * PART + 3)];
        abandoned.write(parts, 0, parts.length); // two parts sent, a third waiting
        assertThat(driver.getContent("/up/data")).isEqualTo(bytes("before"));
        assertThat(driver.stat("/up/data").orElseThrow().size()).isEqualTo(6);
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
                S3Driver.ObjectOptions.DEFAULT, spool, false);
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
