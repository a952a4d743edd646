package dev.berth.storage.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {

    @TempDir
    Path dir;

    @Test
    void aFailedWriteReachesTheCallerInsteadOfLeavingItWaiting() throws Exception {
        Path file = Files.createFile(dir.resolve("data"));
        // the thread's writes fail: a channel opened only for reading refuses them
        try (FileChannel readOnly = FileChannel.open(file, StandardOpenOption.READ)) {
            WriteBehind behind = new WriteBehind(readOnly);
            ByteBuffer piece = ByteBuffer.allocateDirect(WriteBehind.BLOCK_SIZE);
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 2 * WriteBehind.BLOCKS + 2; i++) {
                        behind.write(piece.clear());
                    }
                }).isInstanceOf(IOException.class);
                assertThatThrownBy(behind::finish).isInstanceOf(IOException.class);
            });
        }
        assertThat(file).isEmptyFile();
    }

    @Test
    void finishWritesWhatIsHeldEvenWhenTheCallerIsInterrupted() throws Exception {
        Path file = dir.resolve("data");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            WriteBehind behind = new WriteBehind(channel);
            byte[] content = new byte[WriteBehind.BLOCK_SIZE * 3 + 11];
            new java.util.Random(7).nextBytes(content);
            behind.write(ByteBuffer.wrap(content));
            Thread.currentThread().interrupt();
            behind.finish();
            assertThat(Thread.interrupted()).isTrue();
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
        }
    }
}
