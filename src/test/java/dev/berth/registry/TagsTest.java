package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.storage.ChildrenHolding;
import dev.berth.storage.FileInfo;
import dev.berth.storage.ForwardingStorageDriver;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.filesystem.FilesystemDriver;
import dev.berth.storage.layout.Layout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tag listings kept in memory: served while the tags directory is unchanged, never when it is not. */
class TagsTest {

    private static final RepositoryName APP = RepositoryName.parse("team/app");

    @TempDir
    Path root;

    private final AtomicInteger linkLooks = new AtomicInteger();
    private Registry registry;
    private Path tagsDirectory;

    @BeforeEach
    void pushThreeTags() throws Exception {
        registry = Registry.over(new CountingLinkLooks(new FilesystemDriver(root, Layout::keptWhenEmpty, Layout::keptBesideOthersIn)), true,
                ManifestRules.NO_URLS, Clock.systemUTC());
        TestImages images = new TestImages(registry);
        for (String tag : List.of("a", "b", "c")) {
            images.image("team/app", tag, "config " + tag, images.layer("team/app", tag));
        }
        tagsDirectory = root.resolve("docker/registry/v2/repositories/team/app/_manifests/tags");
    }

    /** Dates the tags directory a minute back, as one left alone since then would be. */
    private void settle() throws Exception {
        Files.setLastModifiedTime(tagsDirectory, FileTime.from(Instant.now().minusSeconds(60)));
    }

    private List<Tag> list() {
        return registry.tags().list(APP);
    }

    private static List<Tag> tags(String... names) {
        return List.of(names).stream().map(Tag::new).toList();
    }

    /** Lists twice; how often the second listing looked at a tag's link. */
    private int looksOfASecondListing() {
        assertThat(list()).isEqualTo(tags("a", "b", "c"));
        linkLooks.set(0);
        assertThat(list()).isEqualTo(tags("a", "b", "c"));
        return linkLooks.get();
    }

    @Test
    void anUnchangedDirectoryIsListedWithoutLookingAtEveryTagAgain() throws Exception {
        settle();
        assertThat(looksOfASecondListing()).isZero();
    }

    @Test
    void tagsAddedAndDeletedByAnotherProcessAreListedAtOnce() throws Exception {
        settle();
        assertThat(list()).isEqualTo(tags("a", "b", "c"));

        Registry other = Registry.over(new FilesystemDriver(root, Layout::keptWhenEmpty, Layout::keptBesideOthersIn), true,
                ManifestRules.NO_URLS, Clock.systemUTC());
        TestImages images = new TestImages(other);
        images.image("team/app", "d", "config d", images.layer("team/app", "d"));
        other.manifests().delete(APP, new Tag("a"));

        assertThat(list()).isEqualTo(tags("b", "c", "d"));
    }

    @Test
    void aChangedDirectoryIsReadLookingOnlyAtTheTagsAddedToIt() throws Exception {
        settle();
        assertThat(list()).isEqualTo(tags("a", "b", "c"));
        TestImages images = new TestImages(registry);
        images.image("team/app", "d", "config d", images.layer("team/app", "d"));
        images.image("team/app", "bb", "config bb", images.layer("team/app", "bb"));
        registry.manifests().delete(APP, new Tag("a"));
        settle();
        linkLooks.set(0);

        assertThat(list()).isEqualTo(tags("b", "bb", "c", "d"));
        assertThat(linkLooks).hasValue(2);
    }

    @Test
    void aTagFolderWithoutItsLinkIsLeftOutOfAChangedDirectorysListingWhichIsNotKept() throws Exception {
        settle();
        assertThat(list()).isEqualTo(tags("a", "b", "c"));
        Path link = tagsDirectory.resolve("b/current/link");
        Files.createDirectories(tagsDirectory.resolve("e/current"));
        settle();
        assertThat(list()).isEqualTo(tags("a", "b", "c"));

        // the tag's link is written in its folder, which leaves the tags directory as it was
        Files.copy(link, tagsDirectory.resolve("e/current/link"));
        assertThat(list()).isEqualTo(tags("a", "b", "c", "e"));
    }

    @Test
    void aListingThatMetATagBeingWrittenIsNotKept() throws Exception {
        Path link = tagsDirectory.resolve("b/current/link");
        byte[] target = Files.readAllBytes(link);
        Files.delete(link);
        settle();
        assertThat(list()).isEqualTo(tags("a", "c"));

        // the tag's link is written; its folder (and so the tags directory) was already there
        Files.write(link, target);
        assertThat(list()).isEqualTo(tags("a", "b", "c"));
    }

    @Test
    void aFileInTheTagsDirectoryIsNoTag() throws Exception {
        Files.writeString(tagsDirectory.resolve("notes"), "left here by hand");
        assertThat(list()).isEqualTo(tags("a", "b", "c"));
    }

    @Test
    void aDirectoryChangedMomentsAgoIsLookedAtEveryTime() {
        assertThat(looksOfASecondListing()).isEqualTo(3);
    }

    @Test
    void garbageCollectionsListingIsAlwaysReadFromStorage() throws Exception {
        settle();
        list();
        linkLooks.set(0);

        assertThat(registry.tags().listFromStorage(APP)).isEqualTo(tags("a", "b", "c"));
        assertThat(linkLooks).hasValue(3);
    }

    @Test
    void aDirectoryWithoutAVersionIsListedAsDistributionListsItWithoutLookingAtAnyTag() throws Exception {
        Registry objectStore = Registry.over(new ForwardingStorageDriver(new CountingLinkLooks(
                new FilesystemDriver(root, Layout::keptWhenEmpty, Layout::keptBesideOthersIn))) {
            @Override
            public Optional<FileInfo> stat(String key) {
                // as S3 reports a prefix: no identity to keep a listing by
                return delegate.stat(key).map(info -> info.directory()
                        ? new FileInfo(info.key(), info.size(), info.modified(), true, null) : info);
            }
        }, true, ManifestRules.NO_URLS, Clock.systemUTC());
        settle();

        assertThat(objectStore.tags().list(APP)).isEqualTo(tags("a", "b", "c"));
        assertThat(linkLooks).hasValue(0);
    }

    /** Counts looks at tags' current links: one per tag each time a listing is read from storage. */
    private final class CountingLinkLooks extends ForwardingStorageDriver {

        CountingLinkLooks(StorageDriver driver) {
            super(driver);
        }

        @Override
        public Optional<FileInfo> stat(String key) {
            count(key);
            return delegate.stat(key);
        }

        @Override
        public Optional<FileInfo> statFile(String key) {
            count(key);
            return delegate.statFile(key);
        }

        @Override
        public byte[] getContent(String key) {
            count(key);
            return delegate.getContent(key);
        }

        @Override
        public ChildrenHolding listHolding(String key, String relative) {
            ChildrenHolding children = delegate.listHolding(key, relative);
            if (relative.equals(Layout.TAG_CURRENT_LINK)) {
                linkLooks.addAndGet(children.holding().size() + children.lacking().size());
            }
            return children;
        }

        private void count(String key) {
            if (key.endsWith("/current/link")) {
                linkLooks.incrementAndGet();
            }
        }
    }
}
