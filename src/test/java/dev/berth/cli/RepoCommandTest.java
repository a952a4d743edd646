package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.RepositoryName;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.registry.TestImages;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RepoCommandTest {

    @TempDir
    Path work;

    @Test
    void deletesAWholeRepositoryAndRefusesAnUnknownOne() throws Exception {
        Path root = work.resolve("data");
        Registry registry = Registry.over(new FilesystemDriver(root), false, ManifestRules.NO_URLS,
                Clock.systemUTC());
        TestImages images = new TestImages(registry);
        images.image("team/app", "v1", "config", images.layer("team/app", "layer"));
        images.image("team/other", "v1", "config", images.layer("team/other", "layer"));
        // storage.delete.enabled is off, as by default: it governs the API, not the operator's command
        Path config = Files.writeString(work.resolve("config.yml"),
                "version: 0.1\nstorage:\n  filesystem: {rootdirectory: " + root + "}\n");

        int deleted = new CommandLine(new Main()).execute("repo", "delete", "team/app", config.toString());
        int unknown = new CommandLine(new Main()).execute("repo", "delete", "team/app", config.toString());

        assertThat(deleted).isZero();
        assertThat(unknown).isEqualTo(1);
        assertThat(registry.catalog().list()).containsExactly(RepositoryName.parse("team/other"));
    }
}
