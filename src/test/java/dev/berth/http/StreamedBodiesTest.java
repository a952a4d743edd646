package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.auth.OpenAccess;
import dev.berth.oci.Descriptor;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.registry.TestImages;
import dev.berth.storage.ForwardingStorageDriver;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs from storage without files (as S3 is) are streamed to the client on a thread of their own
 * ({@link BodySender#stream}): whole, in ranges, and cut off, not hung, when the storage's stream fails.
 */
class StreamedBodiesTest {

    /** Larger than a send buffer, so that a pull takes several writes. */
    private static final String CONTENT = "0123456789abcdef".repeat(80_000);

    @TempDir
    Path root;

    private RegistryServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    /** How many bytes the storage's streams give before failing; all of them when negative. */
    private volatile long failAfter = -1;

    private Descriptor pushedOverStorageWithoutFiles() throws Exception {
        Registry registry = Registry.over(new WithoutFiles(new FilesystemDriver(root)), true, ManifestRules.NO_URLS,
                Clock.systemUTC());
        Descriptor layer = new TestImages(registry).layer("team/app", CONTENT);
        server = new RegistryServer(new InetSocketAddress("127.0.0.1", 0),
                new RegistryHandler(registry, new OpenAccess()), ServerOptions.defaults());
        server.start();
        return layer;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        http.close();
    }

    private HttpRequest.Builder blob(Descriptor layer) {
        // a pull that hangs fails the test instead of holding it
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v2/team/app/blobs/"
                + layer.digest())).timeout(Duration.ofSeconds(30));
    }

    @Test
    void aBlobIsSentWholeAndInRanges() throws Exception {
        Descriptor layer = pushedOverStorageWithoutFiles();

        HttpResponse<String> whole = http.send(blob(layer).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> range = http.send(blob(layer).header("Range", "bytes=700000-700009").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(CONTENT);
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(CONTENT.substring(700_000, 700_010));
    }

    @Test
    void aStreamThatFailsMidwayCutsTheBodyShortAndTheServerGoesOn() throws Exception {
        Descriptor layer = pushedOverStorageWithoutFiles();
        failAfter = 600_000;

        assertThatThrownBy(() -> http.send(blob(layer).build(), HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(IOException.class);

        failAfter = -1;
        HttpResponse<byte[]> again = http.send(blob(layer).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(new String(again.body(), StandardCharsets.UTF_8)).isEqualTo(CONTENT);
    }

    /** A filesystem store that offers no files, and whose streams fail after {@link #failAfter} bytes. */
    private final class WithoutFiles extends ForwardingStorageDriver {
        WithoutFiles(FilesystemDriver delegate) {
            super(delegate);
        }

        @Override
        public Optional<FileChannel> fileChannel(String key) {
            return Optional.empty();
        }

        @Override
        public InputStream reader(String key, long offset) {
            long limit = failAfter;
            if (limit < 0) {
                return super.reader(key, offset);
            }
            try (InputStream in = super.reader(key, offset)) {
                InputStream failing = new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("the storage failed");
                    }
                };
                return new SequenceInputStream(new ByteArrayInputStream(in.readNBytes((int) limit)), failing);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
