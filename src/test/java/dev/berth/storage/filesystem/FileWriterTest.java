package dev.berth.storage.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWriterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void closingDoesNotWaitForTheDiskButLeavesTheRunningWritebackToCloseTheFile() throws Exception {
        Path file = dir.resolve("data");
        FileChannel channel = newFile(file);
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch diskDone = new CountDownLatch(1);
        // a disk that takes its time: the writeback waits until the test lets it finish
        FileWriter writer = new FileWriter("/data", channel, 0, new Semaphore(1), written -> {
            syncing.countDown();
            try {
                diskDone.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.force(false);
        });
        byte[] content = new byte[(int) FileWriter.WRITEBACK_BYTES + 5];
        new Random(11).nextBytes(content);
        try {
            writer.write(content, 0, content.length);
            assertThat(syncing.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

            assertTimeoutPreemptively(PATIENCE, writer::close);

            assertThat(Files.readAllBytes(file)).isEqualTo(content);
            assertThat(channel.isOpen()).isTrue();
        } finally {
            diskDone.countDown();
        }
        assertTimeoutPreemptively(PATIENCE, () -> {
            while (channel.isOpen()) {
                Thread.sleep(10);
            }
        });
    }

    @Test
    void aChunkThatTakesTheFilePastAWritebackBoundaryStartsAWriteback() throws Exception {
        Path file = dir.resolve("data");
        FileChannel channel = newFile(file);
        // an upload whose earlier chunks filled the file to just short of the boundary (a sparse file here)
        channel.position(FileWriter.WRITEBACK_BYTES - 3);
        CountDownLatch writtenBack = new CountDownLatch(1);
        FileWriter writer = new FileWriter("/data", channel, FileWriter.WRITEBACK_BYTES - 3, new Semaphore(1),
                written -> writtenBack.countDown());

        writer.write(new byte[] {1, 2, 3, 4, 5}, 0, 5);

        assertThat(writtenBack.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        writer.close();
    }

    @Test
    void aWriterWithNoWritebackRunningClosesTheFileItself() throws Exception {
        Path file = dir.resolve("data");
        FileChannel channel = newFile(file);
        FileWriter writer = new FileWriter("/data", channel, 0, new Semaphore(1));

        writer.write(new byte[] {1, 2, 3}, 0, 3);
        writer.close();

        assertThat(channel.isOpen()).isFalse();
        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
    }

    private static FileChannel newFile(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
}
