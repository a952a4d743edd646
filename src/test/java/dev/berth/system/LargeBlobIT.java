package dev.berth.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs far larger than the server's heap go through, pushed whole and in chunks, and come back intact: the
 * server streams and hashes as it goes instead of buffering. Size: {@code -Dberth.largeblob.bytes} (4 GiB).
 */
class LargeBlobIT {

    private static final long SIZE = Long.getLong("berth.largeblob.bytes", 4L << 30);
    private static final long CHUNK = 64L << 20;

    @TempDir
    Path work;

    private ServerProcess server;

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(work, work.resolve("data"), "-Xmx128m", "-XX:+ExitOnOutOfMemoryError");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void pushesAndPullsABlobThirtyTimesTheHeapMonolithic() throws Exception {
        GeneratedContent content = new GeneratedContent(1, SIZE);
        Digest digest = content.digest();
        RegistryClient client = new RegistryClient(server);
        client.pushMonolithic("big/mono", content::stream, SIZE, digest);
        assertThat(client.pullDigest("big/mono", digest)).isEqualTo(digest);
        assertThat(server.alive()).as(server.log()).isTrue();
    }

    @Test
    void pushesAndPullsABlobThirtyTimesTheHeapInChunks() throws Exception {
        GeneratedContent content = new GeneratedContent(2, SIZE);
        Digest digest = content.digest();
        RegistryClient client = new RegistryClient(server);
        String location = client.startUpload("big/chunked");
        for (long start = 0; start < SIZE; start += CHUNK) {
            long from = start;
            long length = Math.min(CHUNK, SIZE - start);
            location = client.patch(location, () -> content.stream(from, from + length), from, length);
        }
        client.finish(location, digest);
        assertThat(client.pullDigest("big/chunked", digest)).isEqualTo(digest);
        assertThat(server.alive()).as(server.log()).isTrue();
    }
}
