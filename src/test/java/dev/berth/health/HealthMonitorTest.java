package dev.berth.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.storage.ForwardingStorageDriver;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.StorageException;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthMonitorTest {

    private static final Duration QUICK = Duration.ofMillis(5);

    @TempDir
    Path dir;

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** Fails its first {@code failures} runs, then passes. */
    private record Flaky(String name, int failures, AtomicInteger runs) implements HealthCheck {
        @Override
        public void check() {
            if (runs.incrementAndGet() <= failures) {
                throw new IllegalStateException("down, run " + runs.get());
            }
        }
    }

    @Test
    void aCheckFailsOnlyAfterThresholdFailuresInARowAndRecovers() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (HealthMonitor monitor = new HealthMonitor(List.of(
                new HealthMonitor.Scheduled(new Flaky("flaky", 50, runs), QUICK, 3)))) {
            await(() -> !monitor.failures().isEmpty());
            assertThat(runs.get()).isGreaterThanOrEqualTo(3);
            assertThat(monitor.failures()).containsKey("flaky");
            await(() -> monitor.failures().isEmpty());
            assertThat(runs.get()).isGreaterThan(50);
        }
    }

    @Test
    void aFileCheckFailsWhileTheFileExists() throws Exception {
        Path marker = dir.resolve("out-of-rotation");
        try (HealthMonitor monitor = new HealthMonitor(List.of(
                new HealthMonitor.Scheduled(new FileCheck(marker), QUICK, 1)))) {
            Files.writeString(marker, "");
            await(() -> monitor.failures().equals(Map.of(marker.toString(), "file exists")));
            Files.delete(marker);
            await(() -> monitor.failures().isEmpty());
        }
    }

    @Test
    void theStorageProbeLeavesNothingBehind() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        new StorageProbe(new FilesystemDriver(root), "filesystem", true).check();
        try (var files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    /** A read-only registry on a read-only volume stays healthy: its probe only reads, as distribution's check. */
    @Test
    void theProbeOfAReadOnlyRegistryOnlyReads() throws Exception {
        Path root = Files.createDirectories(dir.resolve("read-only"));
        StorageDriver readOnlyVolume = new ForwardingStorageDriver(new FilesystemDriver(root)) {
            @Override
            public void putContent(String key, byte[] content) {
                throw new StorageException("read-only file system: " + key);
            }
        };

        new StorageProbe(readOnlyVolume, "filesystem", false).check();
        assertThatThrownBy(() -> new StorageProbe(readOnlyVolume, "filesystem", true).check())
                .isInstanceOf(StorageException.class);
        StorageDriver unreadable = new ForwardingStorageDriver(readOnlyVolume) {
            @Override
            public List<String> list(String key) {
                throw new StorageException("permission denied: " + key);
            }
        };
        assertThatThrownBy(() -> new StorageProbe(unreadable, "filesystem", false).check())
                .isInstanceOf(StorageException.class);
    }

    @Test
    void readinessProbesAtMostOncePerInterval() {
        AtomicInteger runs = new AtomicInteger();
        Readiness readiness = new Readiness(new Flaky("storagedriver_test", 1, runs));
        assertThat(readiness.failure()).contains("storagedriver_test: down, run 1");
        assertThat(readiness.failure()).isPresent();
        assertThat(runs.get()).isEqualTo(1);
    }
}
