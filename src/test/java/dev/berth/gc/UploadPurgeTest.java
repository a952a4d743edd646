package dev.berth.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.RepositoryName;
import dev.berth.registry.BlobUploadUnknownException;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.registry.UploadStatus;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadPurgeTest {

    private static final RepositoryName APP = RepositoryName.parse("team/app");
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path root;

    private Registry registry(Instant now) {
        return Registry.over(new FilesystemDriver(root), true, ManifestRules.NO_URLS,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private int purge(boolean dryRun) {
        return new UploadPurge(new FilesystemDriver(root), registry(NOW), Clock.fixed(NOW, ZoneOffset.UTC))
                .purge(Duration.ofHours(168), dryRun);
    }

    @Test
    void purgesUploadsStartedLongerAgoThanTheAge() throws Exception {
        UploadStatus abandoned = registry(NOW.minus(Duration.ofDays(8))).uploads().start(APP);
        UploadStatus recent = registry(NOW.minus(Duration.ofDays(6))).uploads().start(APP);
        // as distribution writes it: RFC 3339 with nanoseconds
        UploadStatus byDistribution = registry(NOW).uploads().start(APP);
        Files.writeString(root.resolve("docker/registry/v2/repositories/team/app/_uploads/" + byDistribution.id()
                + "/startedat"), "2026-05-01T10:00:00.123456789Z");

        assertThat(purge(true)).isEqualTo(2);
        assertThat(registry(NOW).uploads().status(APP, abandoned.id()).size()).isZero();

        assertThat(purge(false)).isEqualTo(2);
        for (UploadStatus gone : new UploadStatus[] {abandoned, byDistribution}) {
            Assertions.assertThatThrownBy(() -> registry(NOW).uploads().status(APP, gone.id()))
                    .isInstanceOf(BlobUploadUnknownException.class);
        }
        assertThat(registry(NOW).uploads().status(APP, recent.id()).size()).isZero();
    }

    @Test
    void anUploadWhoseStartTimeACrashLostIsAgedByItsLastWrite() throws Exception {
        // startedat is written without a sync: after a crash it may be empty, torn or missing
        UploadStatus torn = registry(NOW).uploads().start(APP);
        UploadStatus missing = registry(NOW).uploads().start(APP);
        UploadStatus active = registry(NOW).uploads().start(APP);
        Path uploads = root.resolve("docker/registry/v2/repositories/team/app/_uploads");
        Files.writeString(uploads.resolve(torn.id() + "/startedat"), "2026-05-");
        Files.delete(uploads.resolve(missing.id() + "/startedat"));
        Files.writeString(uploads.resolve(active.id() + "/startedat"), "");
        for (UploadStatus old : new UploadStatus[] {torn, missing}) {
            Files.setLastModifiedTime(uploads.resolve(old.id() + "/data"),
                    FileTime.from(NOW.minus(Duration.ofDays(30))));
        }
        Files.setLastModifiedTime(uploads.resolve(active.id() + "/data"), FileTime.from(NOW.minusSeconds(60)));

        assertThat(purge(false)).isEqualTo(2);
        try (Stream<Path> left = Files.list(uploads)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(active.id().value());
        }
    }
}
