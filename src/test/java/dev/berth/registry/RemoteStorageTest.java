package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.oci.UploadId;
import dev.berth.storage.AtOnce;
import dev.berth.storage.ChildrenHolding;
import dev.berth.storage.FileInfo;
import dev.berth.storage.ForwardingStorageDriver;
import dev.berth.storage.StorageWriter;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On remote storage a request's independent calls go out at once: each is a round trip there. A storage whose calls
 * take a while, and which counts how many are under way at the same time and how many rounds of them follow one
 * another, shows it.
 */
class RemoteStorageTest {

    private static final RepositoryName REPO = RepositoryName.parse("team/app");

    @TempDir
    Path root;

    private final AtomicInteger underWay = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    /** Calls that began with no other under way: the round trips a request waits for, one after another. */
    private final AtomicInteger rounds = new AtomicInteger();

    private Registry registry(boolean remote) {
        return Registry.over(new ForwardingStorageDriver(new FilesystemDriver(root)) {
            @Override
            public Optional<FileInfo> statFile(String key) {
                return slowly(() -> delegate.statFile(key));
            }

            @Override
            public List<String> list(String key) {
                return slowly(() -> delegate.list(key));
            }

            @Override
            public ChildrenHolding listHolding(String key, String relative) {
                // as a remote store does: a listing, then a look at each child
                return ChildrenHolding.lookingAtEach(this, key, relative);
            }

            @Override
            public StorageWriter writer(String key, boolean append) {
                return slowly(() -> delegate.writer(key, append));
            }

            @Override
            public void putContent(String key, byte[] content) {
                slowly(() -> delegate.putContent(key, content));
            }

            @Override
            public void ensureContent(String key, byte[] content) {
                putContent(key, content); // as a remote store does: a read would cost what the write does
            }

            @Override
            public void ensureContents(Map<String, byte[]> contents) {
                // as a remote store does: each key a call of its own, all under way at once
                new AtOnce(this).run(contents.entrySet().stream()
                        .<Runnable>map(entry -> () -> ensureContent(entry.getKey(), entry.getValue())).toList());
            }

            @Override
            public void touch(String key) {
                slowly(() -> delegate.touch(key));
            }

            @Override
            public void move(String from, String to) {
                slowly(() -> delegate.move(from, to));
            }

            @Override
            public void delete(String key) {
                slowly(() -> delegate.delete(key));
            }

            @Override
            public boolean remote() {
                return remote;
            }
        }, true, ManifestRules.NO_URLS, Clock.systemUTC());
    }

    private void slowly(Runnable call) {
        slowly(() -> {
            call.run();
            return null;
        });
    }

    /** A call that takes a while, counted while under way. */
    private <T> T slowly(Supplier<T> call) {
        int now = underWay.incrementAndGet();
        if (now == 1) {
            rounds.incrementAndGet();
        }
        mostAtOnce.accumulateAndGet(now, Math::max);
        try {
            Thread.sleep(50);
            return call.get();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            underWay.decrementAndGet();
        }
    }

    @Test
    void anUploadsTwoFilesAreMadeAtOnce() {
        Registry registry = registry(true);
        UploadId id = registry.uploads().start(REPO).id();
        assertThat(mostAtOnce).hasValue(2);
        assertThat(registry.uploads().status(REPO, id).size()).isZero();
    }

    @Test
    void aCompletedUploadIsLinkedWhileItsSessionIsCleared() {
        Registry registry = registry(true);
        byte[] content = "layer".getBytes(StandardCharsets.UTF_8);
        UploadId id = registry.uploads().start(REPO).id();
        registry.uploads().append(REPO, id, Chunk.streamed(new ByteArrayInputStream(content)));
        mostAtOnce.set(0);
        rounds.set(0);
        registry.uploads().complete(REPO, id, Optional.empty(), Digest.sha256(content));
        assertThat(mostAtOnce).hasValue(2);
        // the upload's size, the claim, one listing for the content (a copy set aside included), the move into
        // place, and the link with the clearing
        assertThat(rounds).hasValue(5);
        assertThat(registry.blobs().stat(REPO, Digest.sha256(content)).size()).isEqualTo(5);
        assertThatThrownBy(() -> registry.uploads().status(REPO, id)).isInstanceOf(BlobUploadUnknownException.class);
    }

    @Test
    void aBlobsLinkAndContentAreLookedAtAtOnce() {
        Registry registry = registry(true);
        Descriptor layer = new TestImages(registry).layer("team/app", "layer");
        mostAtOnce.set(0);
        assertThat(registry.blobs().stat(REPO, layer.digest()).size()).isEqualTo(5);
        assertThat(mostAtOnce).hasValue(2);
        assertThatThrownBy(() -> registry.blobs().stat(REPO, Digest.sha256("none".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(BlobUnknownException.class);
    }

    @Test
    void aManifestsReferencesAreLookedAtAtOnce() {
        Registry registry = registry(true);
        TestImages images = new TestImages(registry);
        Descriptor first = images.layer("team/app", "first");
        Descriptor second = images.layer("team/app", "second");
        mostAtOnce.set(0);
        images.image("team/app", "v1", "config", first, second);
        // the config's and two layers' links and contents, and the manifest's own content: seven looks at once
        assertThat(mostAtOnce).hasValue(7);
        images.assertPullsCompletely("team/app", "v1");
    }

    @Test
    void aTagsCurrentLinkAndItsHistoryAreWrittenAtOnce() {
        Registry registry = registry(true);
        TestImages images = new TestImages(registry);
        images.image("team/app", "v1", "config", images.layer("team/app", "layer"));
        ManifestContent stored = registry.manifests().get(REPO, new Tag("v1"));
        byte[] body = new byte[stored.size()];
        stored.bytes().get(body);
        rounds.set(0);
        mostAtOnce.set(0);
        registry.manifests().put(REPO, new Tag("v2"), body, stored.mediaType(), List.of());
        // the claims, the looks, the revision link, the claims and looks again, and the tag's two links
        assertThat(rounds).hasValue(6);
        assertThat(registry.tags().list(REPO)).extracting(Tag::value).containsExactly("v1", "v2");
    }

    @Test
    void aBlobNotPushedYetIsUnknownAfterOneRoundTrip() {
        Registry registry = registry(true);
        Descriptor layer = new TestImages(registry).layer("team/app", "layer");
        rounds.set(0);
        assertThatThrownBy(() -> registry.blobs().check(REPO, Digest.sha256("new".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(BlobUnknownException.class);
        assertThat(rounds).hasValue(1);
        assertThat(registry.blobs().check(REPO, layer.digest()).size()).isEqualTo(5);
    }

    @Test
    void aManifestNotPushedYetIsUnknownAfterOneRoundTrip() {
        Registry registry = registry(true);
        TestImages images = new TestImages(registry);
        Digest pushed = images.image("team/app", "v1", "config", images.layer("team/app", "layer")).digest();
        rounds.set(0);
        Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> registry.manifests().check(REPO, other)).isInstanceOf(ManifestUnknownException.class);
        assertThat(rounds).hasValue(1);
        assertThat(registry.manifests().check(REPO, pushed).digest()).isEqualTo(pushed);
    }

    @Test
    void aReferrersListingLooksAtTheRepositorysManifestsAtOnce() {
        Registry registry = registry(true);
        TestImages images = new TestImages(registry);
        Descriptor subject = images.image("team/app", "v1", "config", images.layer("team/app", "layer"));
        Descriptor signature = images.referrer("team/app", subject, "signature");
        Descriptor sbom = images.referrer("team/app", subject, "sbom");
        mostAtOnce.set(0);
        assertThat(registry.referrers().list(REPO, subject.digest(), Optional.empty())).extracting(Descriptor::digest)
                .containsExactlyInAnyOrder(signature.digest(), sbom.digest());
        // the revision links of the subject and of both referrers, while the listing of the other algorithm's
        // revisions, made at once with that of sha256, may still be under way
        assertThat(mostAtOnce.get()).isBetween(3, 4);
    }

    @Test
    void theCatalogListsTheRepositoriesDirectoriesAtOnceAndStillPages() {
        Registry registry = registry(true);
        TestImages images = new TestImages(registry);
        for (String name : List.of("team/web", "team/app", "base", "team/db")) {
            images.image(name, "v1", "config", images.layer(name, "layer"));
        }
        mostAtOnce.set(0);
        assertThat(registry.catalog().list()).extracting(RepositoryName::value)
                .containsExactly("base", "team/app", "team/db", "team/web");
        // team's three repositories listed at once
        assertThat(mostAtOnce).hasValue(3);
        assertThat(registry.catalog().list("", 2, name -> true)).extracting(RepositoryName::value)
                .containsExactly("base", "team/app");
        assertThat(registry.catalog().list("team/app", 2, name -> true)).extracting(RepositoryName::value)
                .containsExactly("team/db", "team/web");
    }

    @Test
    void localStorageIsLookedAtOneLookAfterAnother() {
        Registry registry = registry(false);
        TestImages images = new TestImages(registry);
        Descriptor layer = images.layer("team/app", "layer");
        images.image("team/app", "v1", "config", layer);
        registry.blobs().stat(REPO, layer.digest());
        assertThat(mostAtOnce).hasValue(1);
    }
}
