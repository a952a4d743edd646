package dev.berth.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.ManifestUnknownException;
import dev.berth.registry.Registry;
import dev.berth.registry.TestImages;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Every case with the sweep on the calling thread, as in the server, and on four workers, as offline. */
@ParameterizedClass
@ValueSource(ints = {1, 4})
class GarbageCollectorTest {

    @Parameter
    int workers;

    private static final RepositoryName APP = RepositoryName.parse("team/app");

    @TempDir
    Path root;

    private final RecordingListener listener = new RecordingListener();
    private final List<Deletion> deletions = listener.deletions;

    private FilesystemDriver driver() {
        return new FilesystemDriver(root);
    }

    private Registry registry() {
        return Registry.over(driver(), true, ManifestRules.NO_URLS, Clock.systemUTC());
    }

    private TestImages images() {
        return new TestImages(registry());
    }

    private GcReport collect(boolean dryRun, boolean deleteUntagged, Duration grace) {
        return new GarbageCollector(driver(), registry()).collect(
                new GcOptions(dryRun, deleteUntagged, grace, workers), listener);
    }

    private GcReport collect(boolean deleteUntagged) {
        return collect(false, deleteUntagged, Duration.ZERO);
    }

    private Set<Digest> blobsOnDisk() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().equals("data") && p.toString().contains("/blobs/"))
                    .map(p -> Digest.parse("sha256:" + p.getParent().getFileName()))
                    .collect(Collectors.toSet());
        }
    }

    private List<Path> filesOnDisk() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> !p.equals(root)).toList();
        }
    }

    @Test
    void deletesWhatOnlyDeletedManifestsUsedAndKeepsSharedLayers() throws IOException {
        TestImages images = images();
        Descriptor shared = images.layer("team/app", "shared base");
        Descriptor onlyA = images.layer("team/app", "only in a");
        Descriptor onlyB = images.layer("team/app", "only in b");
        images.image("team/app", "a", "config a", shared, onlyA);
        Descriptor b = images.image("team/app", "b", "config b", shared, onlyB);
        Set<Digest> before = blobsOnDisk();
        registry().manifests().delete(APP, b.digest());

        GcReport report = collect(false);

        Digest configB = Digest.sha256("config b".getBytes(StandardCharsets.UTF_8));
        assertThat(deletions).extracting(d -> ((Deletion.Blob) d).digest())
                .containsExactlyInAnyOrder(b.digest(), onlyB.digest(), configB);
        assertThat(blobsOnDisk()).isEqualTo(before.stream()
                .filter(d -> !Set.of(b.digest(), onlyB.digest(), configB).contains(d)).collect(Collectors.toSet()));
        assertThat(report.blobsDeleted()).isEqualTo(3);
        assertThat(report.bytesFreed()).isEqualTo(b.size() + onlyB.size() + "config b".length());
        assertThat(report.linksDeleted()).isEqualTo(2);
        images().assertPullsCompletely("team/app", "a");
        assertThat(root.resolve("docker/registry/v2/repositories/team/app/_layers/sha256/" + onlyB.digest().encoded()))
                .doesNotExist();
    }

    @Test
    void aDryRunReportsTheSameAndDeletesNothing() throws IOException {
        TestImages images = images();
        Descriptor b = images.image("team/app", "b", "config b", images.layer("team/app", "only in b"));
        registry().manifests().delete(APP, b.digest());
        List<Path> before = filesOnDisk();

        GcReport dry = collect(true, false, Duration.ZERO);

        assertThat(filesOnDisk()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(dry.dryRun()).isTrue();
        List<Deletion> eligible = List.copyOf(deletions);
        deletions.clear();
        GcReport real = collect(false);
        assertThat(deletions).containsExactlyInAnyOrderElementsOf(eligible);
        assertThat(real.blobsDeleted()).isEqualTo(dry.blobsDeleted()).isEqualTo(3);
        assertThat(real.bytesFreed()).isEqualTo(dry.bytesFreed());
        assertThat(real.linksDeleted()).isEqualTo(dry.linksDeleted());
    }

    @Test
    void keepsManifestsOfOverwrittenTagsUnlessAskedToDeleteUntagged() throws IOException {
        TestImages images = images();
        Descriptor old = images.image("team/app", "latest", "config old", images.layer("team/app", "old layer"));
        images.image("team/app", "latest", "config new", images.layer("team/app", "new layer"));

        assertThat(collect(false).blobsDeleted()).isZero();
        images().assertPullsCompletely("team/app", old.digest().toString());

        GcReport report = collect(true);

        assertThat(report.manifestsDeleted()).isEqualTo(1);
        assertThat(report.blobsDeleted()).isEqualTo(3);
        assertThat(deletions).contains(new Deletion.Manifest(APP, old.digest()));
        assertThatThrownBy(() -> registry().manifests().get(APP, old.digest()))
                .isInstanceOf(ManifestUnknownException.class);
        images().assertPullsCompletely("team/app", "latest");
    }

    @Test
    void keepsTheChildrenOfTaggedIndexesAndTheReferrersOfManifestsInUse() throws IOException {
        TestImages images = images();
        Descriptor amd64 = images.image("team/app", "digest", "amd64", images.layer("team/app", "amd64 layer"));
        Descriptor arm64 = images.image("team/app", "digest", "arm64", images.layer("team/app", "arm64 layer"));
        images.index("team/app", "v1", amd64, arm64);
        Descriptor signature = images.referrer("team/app", amd64, "signature of amd64");
        Descriptor orphan = images.image("team/app", "digest", "orphan", images.layer("team/app", "orphan layer"));
        Descriptor orphanSignature = images.referrer("team/app", orphan, "signature of orphan");
        Set<Digest> before = blobsOnDisk();

        GcReport report = collect(true);

        assertThat(deletions).filteredOn(Deletion.Manifest.class::isInstance)
                .containsExactlyInAnyOrder(new Deletion.Manifest(APP, orphan.digest()),
                        new Deletion.Manifest(APP, orphanSignature.digest()));
        // orphan: manifest, config, layer; its signature: manifest and layer (the "{}" config is shared)
        assertThat(report.blobsDeleted()).isEqualTo(5);
        assertThat(before).hasSize(blobsOnDisk().size() + 5);
        images().assertPullsCompletely("team/app", "v1");
        images().assertPullsCompletely("team/app", signature.digest().toString());
        assertThat(registry().referrers().list(APP, amd64.digest(), java.util.Optional.empty()))
                .extracting(Descriptor::digest).containsExactly(signature.digest());
    }

    @Test
    void keepsEverythingYoungerThanTheGracePeriod() throws IOException {
        TestImages images = images();
        Descriptor b = images.image("team/app", "b", "config b", images.layer("team/app", "only in b"));
        images.image("team/app", "latest", "config x", images.layer("team/app", "x"));
        images.image("team/app", "latest", "config y", images.layer("team/app", "y"));
        registry().manifests().delete(APP, b.digest());
        List<Path> before = filesOnDisk();

        GcReport report = collect(false, true, Duration.ofHours(1));

        assertThat(report.blobsDeleted()).isZero();
        assertThat(report.manifestsDeleted()).isZero();
        assertThat(filesOnDisk()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void returnsTheDiskToItsBaselineOnceEverythingIsDeleted() throws IOException {
        TestImages images = images();
        Descriptor base = images.layer("team/app", "base");
        Descriptor a = images.image("team/app", "a", "config a", base, images.layer("team/app", "a"));
        Descriptor b = images.image("other/app", "b", "config b", images.layer("other/app", "b"));
        Descriptor index = images.index("team/app", "multi", a);
        images.referrer("team/app", a, "signature");
        registry().uploads().start(APP);
        registry().manifests().delete(APP, index.digest());
        registry().manifests().delete(APP, a.digest());
        registry().manifests().delete(RepositoryName.parse("other/app"), b.digest());
        registry().catalog().delete(APP);

        collect(false);

        assertThat(filesOnDisk()).isEmpty();
    }

    @Test
    void putsBackWhatACrashedCollectionLeftInQuarantine() throws IOException {
        TestImages images = images();
        Descriptor layer = images.layer("team/app", "in use");
        images.image("team/app", "a", "config a", layer);
        Path data = root.resolve("docker/registry/v2/blobs/sha256/" + layer.digest().encoded().substring(0, 2) + "/"
                + layer.digest().encoded() + "/data");
        Files.move(data, data.resolveSibling("quarantine-crashed-run"));

        collect(false);

        assertThat(data).exists();
        assertThat(data.resolveSibling("quarantine-crashed-run")).doesNotExist();
        images().assertPullsCompletely("team/app", "a");
    }

    @Test
    void refusesToCollectWhenAManifestCannotBeRead() throws IOException {
        TestImages images = images();
        Descriptor b = images.image("team/app", "b", "config b", images.layer("team/app", "b"));
        registry().manifests().delete(APP, b.digest());
        Descriptor a = images.image("team/app", "a", "config a", images.layer("team/app", "a"));
        Path manifest = root.resolve("docker/registry/v2/blobs/sha256/" + a.digest().encoded().substring(0, 2) + "/"
                + a.digest().encoded() + "/data");
        Files.writeString(manifest, "garbage");
        List<Path> before = filesOnDisk();

        assertThatThrownBy(() -> collect(false)).isInstanceOf(UnreadableManifestException.class)
                .hasMessageContaining(a.digest().toString());
        assertThat(filesOnDisk()).containsExactlyInAnyOrderElementsOf(before);
    }

    /** Distribution serves Team/app (a first component in a host name's form); Berth cannot, so it must not collect. */
    @Test
    void refusesToCollectWhenARepositoryHasANameBerthDoesNotAccept() throws IOException {
        TestImages images = images();
        images.image("team/app", "a", "config a", images.layer("team/app", "a"));
        Path repositories = root.resolve("docker/registry/v2/repositories");
        Files.createDirectories(repositories.resolve("Team2"));
        Files.move(repositories.resolve("team/app"), repositories.resolve("Team2/app"));
        List<Path> before = filesOnDisk();

        assertThatThrownBy(() -> collect(false)).isInstanceOf(UnreadableRepositoryException.class)
                .hasMessageContaining("repositories/Team2/app");
        assertThat(filesOnDisk()).containsExactlyInAnyOrderElementsOf(before);
    }

    /** team/app:a, its tag link overwritten with something that is no digest. */
    private TestImages imageWhoseTagLinkNamesNoDigest() throws IOException {
        TestImages images = images();
        images.image("team/app", "a", "config a", images.layer("team/app", "a"));
        Files.writeString(root.resolve("docker/registry/v2/repositories/team/app/_manifests/tags/a/current/link"),
                "garbage");
        return images;
    }

    /** Which manifest the tag keeps is unknown: distribution's collector stops on it too. */
    @Test
    void refusesToCollectWhenATagLinkNamesNoDigest() throws IOException {
        imageWhoseTagLinkNamesNoDigest();
        List<Path> before = filesOnDisk();

        assertThatThrownBy(() -> collect(true)).isInstanceOf(UnreadableTagException.class)
                .hasMessageContaining("team/app:a");
        assertThat(filesOnDisk()).containsExactlyInAnyOrderElementsOf(before);
    }

    /** Without --delete-untagged every manifest is kept whatever its tags say, as distribution does it. */
    @Test
    void collectsPastATagLinkThatNamesNoDigestWhenTagsDecideNothing() throws IOException {
        Descriptor unreferenced = imageWhoseTagLinkNamesNoDigest().layer("team/app", "unreferenced");

        collect(false);

        assertThat(blobsOnDisk()).hasSize(3).doesNotContain(unreferenced.digest());
    }
}
