package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {

    private static final RepositoryName APP = RepositoryName.parse("team/app");
    private static final RepositoryName NESTED = RepositoryName.parse("team/app/tools");

    @TempDir
    Path root;

    private Registry registry() {
        return Registry.over(new FilesystemDriver(root), true, ManifestRules.NO_URLS, Clock.systemUTC());
    }

    @Test
    void aRepositoryWhoseLastManifestIsDeletedLeavesTheCatalog() {
        TestImages images = new TestImages(registry());
        Descriptor a = images.image("team/app", "a", "config a", images.layer("team/app", "a"));
        Descriptor b = images.image("team/app", "b", "config b", images.layer("team/app", "b"));
        images.image("team/app/tools", "v1", "config t", images.layer("team/app/tools", "t"));

        registry().manifests().delete(APP, new Tag("a"));
        registry().manifests().delete(APP, b.digest());
        assertThat(registry().catalog().list()).containsExactly(APP, NESTED);

        registry().manifests().delete(APP, a.digest());
        assertThat(registry().catalog().list()).containsExactly(NESTED);
        assertThat(registry().catalog().directories()).containsExactly(APP, NESTED);
    }

    @Test
    void deletingARepositoryLeavesTheOnesNestedInIt() {
        TestImages images = new TestImages(registry());
        images.image("team/app", "a", "config a", images.layer("team/app", "a"));
        registry().uploads().start(APP);
        images.image("team/app/tools", "v1", "config t", images.layer("team/app/tools", "t"));

        registry().catalog().delete(APP);

        assertThat(registry().catalog().directories()).containsExactly(NESTED);
        assertThat(registry().tags().list(NESTED)).containsExactly(new Tag("v1"));
        assertThatThrownBy(() -> registry().catalog().delete(APP)).isInstanceOf(NameUnknownException.class);
    }
}
