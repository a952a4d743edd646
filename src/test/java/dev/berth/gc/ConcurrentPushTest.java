package dev.berth.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.gc.InterceptingDriver.When;
import dev.berth.oci.Descriptor;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.registry.ManifestBlobUnknownException;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.ManifestUnknownException;
import dev.berth.registry.Registry;
import dev.berth.registry.TestImages;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.filesystem.FilesystemDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client pushes while the collector is deleting what it relies on, at each step of the deletion protocol (see
 * docs/garbage-collection.md): the push succeeds and the image pulls completely, whichever step it lands on.
 */
class ConcurrentPushTest {

    private static final RepositoryName APP = RepositoryName.parse("team/app");
    private static final Duration GRACE = Duration.ofHours(1);

    /** Where, in the collector's deletion of a file, the push happens. */
    enum Moment {
        BEFORE_SET_ASIDE(When.BEFORE, "move"),
        AFTER_SET_ASIDE(When.AFTER, "move"),
        BEFORE_DISCARD(When.BEFORE, "delete"),
        AFTER_DISCARD(When.AFTER, "delete");

        final When when;
        final String operation;

        Moment(When when, String operation) {
            this.when = when;
            this.operation = operation;
        }

        /** Matches the step on {@code file}: the move of the file itself, or the delete of its quarantined copy. */
        BiPredicate<String, String> on(StoragePath file) {
            String key = Layout.key(file);
            String directory = Layout.directory(file);
            return (op, k) -> op.equals(operation) && (operation.equals("move") ? k.equals(key)
                    : k.startsWith(directory + "/" + StoragePath.Quarantine.PREFIX));
        }
    }

    @TempDir
    Path root;

    private Registry registry() {
        return Registry.over(new FilesystemDriver(root), true, ManifestRules.NO_URLS, Clock.systemUTC());
    }

    /** Dates everything stored so far from before the grace period, as if pushed long ago. */
    private void ageEverything() throws IOException {
        FileTime old = FileTime.from(Instant.now().minus(GRACE.multipliedBy(2)));
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, old);
            }
        }
    }

    private GcReport collect(StorageDriver driver, boolean deleteUntagged) {
        Registry overDriver = Registry.over(driver, true, ManifestRules.NO_URLS, Clock.systemUTC());
        return new GarbageCollector(driver, overDriver).collect(new GcOptions(false, deleteUntagged, GRACE),
                new RecordingListener());
    }

    /**
     * A driver on which a manifest put stalls just before linking the manifest: long enough for its claims to age
     * past the grace period, and for a whole collection to run meanwhile, whose report {@code collected} checks.
     */
    private StorageDriver stallingBeforeTheRevisionLink(Consumer<GcReport> collected) {
        return new InterceptingDriver(new FilesystemDriver(root), When.BEFORE,
                (op, key) -> op.equals("put") && key.contains("/_manifests/revisions/"), () -> {
                    try {
                        ageEverything();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    collected.accept(collect(new FilesystemDriver(root), false));
                });
    }

    /** An image whose only layer is referenced by nothing any more, stored long ago. */
    private Descriptor unreferencedLayer(TestImages images) throws IOException {
        Descriptor layer = images.layer("team/app", "reused layer");
        Descriptor x = images.image("team/app", "x", "config x", layer);
        registry().manifests().delete(APP, x.digest());
        ageEverything();
        return layer;
    }

    @ParameterizedTest
    @EnumSource(Moment.class)
    void aManifestPushedWhileItsLayerIsCollectedKeepsItOrFailsCleanly(Moment moment) throws IOException {
        TestImages images = new TestImages(registry());
        Descriptor layer = unreferencedLayer(images);
        List<Throwable> failures = new ArrayList<>();

        collect(new InterceptingDriver(new FilesystemDriver(root), moment.when,
                moment.on(new StoragePath.BlobData(layer.digest())), () -> {
                    try {
                        images.image("team/app", "y", "config y", layer);
                        new TestImages(registry()).assertPullsCompletely("team/app", "y");
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }), false);

        if (moment == Moment.AFTER_DISCARD) {
            // the layer was gone when the manifest arrived: refused, and nothing half-stored
            assertThat(failures).singleElement().isInstanceOf(ManifestBlobUnknownException.class);
            assertThat(registry().tags().resolve(APP, new Tag("y"))).isEmpty();
        } else {
            assertThat(failures).isEmpty();
            new TestImages(registry()).assertPullsCompletely("team/app", "y");
        }
    }

    @Test
    void aLayerAClientWasToldExistsIsStillThereWhenItsManifestArrives() throws IOException {
        TestImages images = new TestImages(registry());
        Descriptor layer = unreferencedLayer(images);

        registry().blobs().check(APP, layer.digest());
        GcReport report = collect(new FilesystemDriver(root), false);
        images.image("team/app", "y", "config y", layer);

        assertThat(report.blobsDeleted()).isEqualTo(2);
        new TestImages(registry()).assertPullsCompletely("team/app", "y");
    }

    @Test
    void aPullWhileTheCollectorDecidesFindsTheBlob() throws IOException {
        TestImages images = new TestImages(registry());
        Descriptor layer = unreferencedLayer(images);
        StoragePath data = new StoragePath.BlobData(layer.digest());
        List<Throwable> failures = new ArrayList<>();
        StorageDriver pullAfterSetAside = new InterceptingDriver(new FilesystemDriver(root), When.AFTER,
                Moment.AFTER_SET_ASIDE.on(data), () -> {
                    try {
                        new TestImages(registry()).assertPullsCompletely("team/app", "y");
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                });

        collect(new InterceptingDriver(pullAfterSetAside, When.BEFORE, Moment.BEFORE_SET_ASIDE.on(data),
                () -> images.image("team/app", "y", "config y", layer)), false);

        assertThat(failures).isEmpty();
        new TestImages(registry()).assertPullsCompletely("team/app", "y");
    }

    @Test
    void aManifestPutStalledPastTheGracePeriodFailsCleanlyRatherThanReferenceADeletedLayer() throws IOException {
        TestImages images = new TestImages(registry());
        Descriptor layer = unreferencedLayer(images);
        StorageDriver stalling = stallingBeforeTheRevisionLink(
                report -> assertThat(report.blobsDeleted()).isPositive());
        TestImages stalled = new TestImages(Registry.over(stalling, true, ManifestRules.NO_URLS, Clock.systemUTC()));

        assertThatThrownBy(() -> stalled.image("team/app", "y", "config y", layer))
                .isInstanceOf(ManifestBlobUnknownException.class);
        assertThat(registry().tags().resolve(APP, new Tag("y"))).isEmpty();
        assertThat(registry().catalog().list()).isEmpty();
    }

    /** Its references are in use, but its own bytes were unreferenced until the link showed: W2 writes them again. */
    @Test
    void aManifestWhoseBytesACollectionDeletedBeforeItsLinkShowedIsWrittenAgain() throws IOException {
        TestImages images = new TestImages(registry());
        images.image("team/app", "a", "config y", images.layer("team/app", "first"));
        Descriptor second = images.layer("team/app", "second");
        images.image("team/app", "b", "config z", second);
        StorageDriver stalling = stallingBeforeTheRevisionLink(report -> assertThat(report.blobsDeleted())
                .as("the new manifest's bytes, and nothing else").isEqualTo(1));
        TestImages stalled = new TestImages(Registry.over(stalling, true, ManifestRules.NO_URLS, Clock.systemUTC()));

        stalled.image("team/app", "y", "config y", second);

        new TestImages(registry()).assertPullsCompletely("team/app", "y");
    }

    @ParameterizedTest
    @EnumSource(Moment.class)
    void anIndexPushedOverAnOldUntaggedChildKeepsItAndItsLayers(Moment moment) throws IOException {
        TestImages images = new TestImages(registry());
        Descriptor child = images.image("team/app", "digest", "config child", images.layer("team/app", "child"));
        ageEverything();

        collect(new InterceptingDriver(new FilesystemDriver(root), moment.when,
                moment.on(new StoragePath.ManifestRevisionLink(APP, child.digest())), () -> {
                    // the client asks whether the child is there (HEAD by digest), pushes it if not, then the index
                    try {
                        registry().manifests().check(APP, child.digest());
                    } catch (ManifestUnknownException e) {
                        images.image("team/app", "digest", "config child", images.layer("team/app", "child"));
                    }
                    images.index("team/app", "multi", child);
                }), true);

        new TestImages(registry()).assertPullsCompletely("team/app", "multi");
    }
}
