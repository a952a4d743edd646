package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.storage.ForwardingStorageDriver;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.filesystem.FilesystemDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath.RepositoryRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {

    private static final RepositoryName APP = RepositoryName.parse("team/app");
    private static final RepositoryName NESTED = RepositoryName.parse("team/app/tools");

    @TempDir
    Path root;

    private Registry registry() {
        return Registry.over(new FilesystemDriver(root, Layout::keptWhenEmpty, Layout::keptBesideOthersIn), true, ManifestRules.NO_URLS,
                Clock.systemUTC());
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
        assertThat(registry().catalog().list("", 10, name -> true)).containsExactly(NESTED);
        assertThatThrownBy(() -> registry().tags().list(APP)).isInstanceOf(NameUnknownException.class);
        assertThat(registry().catalog().directories().repositories()).containsExactly(APP, NESTED);
    }

    @Test
    void setsApartDirectoriesWhosePathIsNoRepositoryName() throws IOException {
        TestImages images = new TestImages(registry());
        images.image("team/app", "a", "config a", images.layer("team/app", "a"));
        Path repositories = root.resolve("docker/registry/v2/repositories");
        Files.createDirectories(repositories.resolve("Team2"));
        Files.move(repositories.resolve("team/app"), repositories.resolve("Team2/app"));
        images.image("team/app/tools", "v1", "config t", images.layer("team/app/tools", "t"));

        assertThat(registry().catalog().list()).containsExactly(NESTED);
        assertThat(registry().catalog().directories().repositories()).containsExactly(NESTED);
        assertThat(registry().catalog().directories().unnamed()).containsExactly("Team2/app");
    }

    @Test
    void deletingARepositoryLeavesTheOnesNestedInIt() {
        TestImages images = new TestImages(registry());
        images.image("team/app", "a", "config a", images.layer("team/app", "a"));
        registry().uploads().start(APP);
        images.image("team/app/tools", "v1", "config t", images.layer("team/app/tools", "t"));

        registry().catalog().delete(APP);

        assertThat(registry().catalog().directories().repositories()).containsExactly(NESTED);
        assertThat(registry().tags().list(NESTED)).containsExactly(new Tag("v1"));
        assertThatThrownBy(() -> registry().catalog().delete(APP)).isInstanceOf(NameUnknownException.class);
    }

    /**
     * As distribution does, a repository keeps its uploads directory between pushes; an upload abandoned in a new
     * repository, or the repository's deletion, leaves nothing of it behind.
     */
    @Test
    void aRepositoryKeepsItsUploadsDirectoryWhileItHoldsAnythingElse() {
        TestImages images = new TestImages(registry());
        images.image("team/app", "a", "config a", images.layer("team/app", "a"));
        Path repository = root.resolve(Layout.key(new RepositoryRoot(APP)).substring(1));
        assertThat(repository.resolve(Layout.UPLOADS)).isEmptyDirectory();

        registry().catalog().delete(APP);
        assertThat(repository).doesNotExist();

        RepositoryName fresh = RepositoryName.parse("team/fresh");
        registry().uploads().cancel(fresh, registry().uploads().start(fresh).id());
        assertThat(root.resolve(Layout.key(new RepositoryRoot(fresh)).substring(1))).doesNotExist();
        assertThat(root.resolve(Layout.key(new RepositoryRoot(APP)).substring(1)).getParent()).doesNotExist();
    }

    /** A server killed while it deletes a repository leaves manifests no tag names, never a tag naming nothing. */
    @Test
    void deletingARepositoryRemovesItsTagsBeforeItsManifests() {
        TestImages images = new TestImages(registry());
        images.image("team/app", "a", "config a", images.layer("team/app", "a"));
        StorageDriver killedAtTheManifests = new ForwardingStorageDriver(new FilesystemDriver(root)) {
            @Override
            public void delete(String key) {
                if (key.endsWith("/" + Layout.MANIFESTS)) {
                    throw new IllegalStateException("killed");
                }
                super.delete(key);
            }
        };

        assertThatThrownBy(() -> new Catalog(killedAtTheManifests, true, Catalog.DEFAULT_MAX_PAGE).delete(APP))
                .hasMessage("killed");

        assertThat(registry().tags().list(APP)).isEmpty();
    }

    // names whose order as strings differs from the order of a walk: '-' and '.' sort before '/', '_' after it
    private static final List<String> TRICKY = List.of("a", "a-b", "a.b", "a/b", "a/b/c", "a/b-c", "a/b_c", "a0",
            "a_b", "ab", "b/a", "b/a/a", "b/b", "c", "c/a-b/c", "c/a/b");

    private StorageDriver withRepositories(StorageDriver driver, List<String> names) {
        for (String name : names) {
            driver.putContent(Layout.REPOSITORIES + "/" + name + "/" + Layout.MANIFESTS + "/" + Layout.REVISIONS
                    + "/marker", new byte[]{1});
        }
        driver.putContent(Layout.REPOSITORIES + "/blobs-only/" + Layout.LAYERS + "/marker", new byte[]{1});
        return driver;
    }

    @Test
    void everyPageHoldsTheNamesThatFollowItsStartInOrder() {
        Catalog catalog = new Catalog(withRepositories(new FilesystemDriver(root), TRICKY), true,
                Catalog.DEFAULT_MAX_PAGE);
        List<String> sorted = TRICKY.stream().sorted().toList();
        assertThat(names(catalog.list())).isEqualTo(sorted);
        List<String> starts = Stream.concat(Stream.of("", "a/", "a/b/", "a/c", "b", "zz", "a-"), sorted.stream()).toList();
        Predicate<String> notNested = name -> !name.contains("/b");
        for (String after : starts) {
            for (int limit = 1; limit <= sorted.size() + 1; limit++) {
                List<String> expected = sorted.stream().filter(name -> name.compareTo(after) > 0)
                        .filter(notNested).limit(limit).toList();
                assertThat(names(catalog.list(after, limit, name -> notNested.test(name.value()))))
                        .as("after %s, at most %d", after, limit).isEqualTo(expected);
            }
        }
    }

    @Test
    void aPageListsNoDirectoryItCannotHoldANameFrom() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            names.add("early/app" + i);
            names.add("late/app" + i);
        }
        List<String> listed = new ArrayList<>();
        List<String> looked = new ArrayList<>();
        StorageDriver counting = new ForwardingStorageDriver(withRepositories(new FilesystemDriver(root), names)) {
            @Override
            public List<String> list(String key) {
                listed.add(key.substring(Layout.REPOSITORIES.length()));
                return super.list(key);
            }

            @Override
            public boolean isDirectory(String key) {
                looked.add(key.substring(Layout.REPOSITORIES.length()));
                return super.isDirectory(key);
            }
        };

        List<RepositoryName> page = new Catalog(counting, true, Catalog.DEFAULT_MAX_PAGE)
                .list("early/app5", 3, name -> true);

        assertThat(names(page)).containsExactly("early/app6", "early/app7", "early/app8");
        // early/app5 may hold early/app5/x; nothing sorted before it, and nothing after the page once full
        assertThat(listed).containsExactly("", "/early", "/early/app5", "/early/app6", "/early/app7", "/early/app8");
        // and of each name on the page, whether it has manifests
        assertThat(looked).containsExactly("/early/app6/_manifests/revisions",
                "/early/app7/_manifests/revisions", "/early/app8/_manifests/revisions");
    }

    private static List<String> names(List<RepositoryName> repositories) {
        return repositories.stream().map(RepositoryName::value).toList();
    }
}
