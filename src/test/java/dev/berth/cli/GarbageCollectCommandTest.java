package dev.berth.cli;

import static dev.berth.cli.Cli.berth;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.registry.TestImages;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth garbage-collect} as a user at a terminal sees it. */
class GarbageCollectCommandTest {

    @TempDir
    Path work;

    @Test
    void collectsOnTheWorkersAskedForAndPrintsWhatItDeleted() throws Exception {
        Path root = work.resolve("data");
        TestImages images = new TestImages(Registry.over(new FilesystemDriver(root), true, ManifestRules.NO_URLS,
                Clock.systemUTC()));
        Descriptor kept = images.layer("team/app", "layer");
        images.image("team/app", "v1", "config", kept);
        Descriptor orphan = images.layer("team/app", "uploaded, never referenced");

        Cli.Run run = berth("garbage-collect", "--grace", "0", "--workers", "3", config(root).toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("deleted blob " + orphan.digest() + " (" + orphan.size() + " bytes)")
                .doesNotContain(kept.digest().toString())
                .contains("1 blobs (" + orphan.size() + " bytes");
    }

    @Test
    void refusesFewerThanOneWorker() throws Exception {
        Cli.Run run = berth("garbage-collect", "--workers", "0", config(work.resolve("data")).toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--workers", "at least one worker is needed: 0");
    }

    private Path config(Path root) throws Exception {
        return Files.writeString(work.resolve("config.yml"),
                "version: 0.1\nstorage:\n  filesystem: {rootdirectory: " + root + "}\n  delete: {enabled: true}\n");
    }
}
