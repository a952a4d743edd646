package dev.berth.storage.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.oci.UploadId;
import org.junit.jupiter.api.Test;

/** The keys must be distribution's, byte for byte, or the two registries cannot share a volume. */
class LayoutTest {

    private static final String HEX = "6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b";
    private static final Digest DIGEST = Digest.parse("sha256:" + HEX);
    private static final RepositoryName REPO = RepositoryName.parse("xiaofei/nginx-base");
    private static final String ROOT = "/docker/registry/v2/repositories/xiaofei/nginx-base";

    @Test
    void tellsAnUploadsDataFromEveryOtherFile() {
        UploadId id = UploadId.random();
        assertThat(Layout.isUploadData(Layout.key(new StoragePath.UploadData(REPO, id)))).isTrue();
        assertThat(Layout.isUploadData(Layout.key(new StoragePath.UploadStartedAt(REPO, id)))).isFalse();
        assertThat(Layout.isUploadData(Layout.key(new StoragePath.BlobData(Digest.parse(
                "sha256:" + "ab".repeat(32)))))).isFalse();
        assertThat(Layout.isUploadData(Layout.REPOSITORIES + "/_uploads/data")).isFalse();
        assertThat(Layout.isUploadData(Layout.REPOSITORIES + "/a/_uploads/x/metadata")).isFalse();
        assertThat(Layout.isUploadData("/data")).isFalse();
    }

    @Test
    void placesBlobsByDigestPrefix() {
        assertThat(Layout.key(new StoragePath.BlobData(DIGEST)))
                .isEqualTo("/docker/registry/v2/blobs/sha256/6c/" + HEX + "/data");
    }

    @Test
    void placesRepositoryLinksAsDistributionDoes() {
        assertThat(Layout.key(new StoragePath.LayerLink(REPO, DIGEST)))
                .isEqualTo(ROOT + "/_layers/sha256/" + HEX + "/link");
        assertThat(Layout.key(new StoragePath.ManifestRevisionLink(REPO, DIGEST)))
                .isEqualTo(ROOT + "/_manifests/revisions/sha256/" + HEX + "/link");
        assertThat(Layout.key(new StoragePath.TagCurrentLink(REPO, new Tag("v1"))))
                .isEqualTo(ROOT + "/_manifests/tags/v1/current/link");
        assertThat(Layout.key(new StoragePath.TagIndexLink(REPO, new Tag("v1"), DIGEST)))
                .isEqualTo(ROOT + "/_manifests/tags/v1/index/sha256/" + HEX + "/link");
    }

    /** Distribution's collector needs both roots, and its tags listing a repository's tags directory. */
    @Test
    void keepsTheDirectoriesDistributionCannotDoWithoutWhenTheyEmpty() {
        assertThat(Layout.keptWhenEmpty(Layout.key(new StoragePath.RepositoriesRoot()))).isTrue();
        assertThat(Layout.keptWhenEmpty("/docker/registry/v2/repositories")).isTrue();
        assertThat(Layout.keptWhenEmpty("/docker/registry/v2/blobs")).isTrue();
        assertThat(Layout.keptWhenEmpty(ROOT)).isFalse();
        assertThat(Layout.keptWhenEmpty("/docker/registry/v2/blobs/sha256")).isFalse();
        assertThat(Layout.keptBesideOthersIn(Layout.key(new StoragePath.ManifestsRoot(REPO))))
                .map(tags -> Layout.key(new StoragePath.ManifestsRoot(REPO)) + "/" + tags)
                .contains(Layout.key(new StoragePath.Tags(REPO)));
        assertThat(Layout.keptBesideOthersIn(ROOT + "/_manifests/tags")).isEmpty();
        assertThat(Layout.keptBesideOthersIn(ROOT + "/_manifests/tags/_manifests")).isEmpty();
    }

    /** Every blob pushed starts an upload there: making the directory again each time cost two system calls. */
    @Test
    void keepsARepositorysUploadsDirectoryBesideWhatElseItHolds() {
        assertThat(Layout.keptBesideOthersIn(Layout.key(new StoragePath.RepositoryRoot(REPO))))
                .map(uploads -> Layout.key(new StoragePath.RepositoryRoot(REPO)) + "/" + uploads)
                .contains(Layout.key(new StoragePath.UploadsRoot(REPO)));
        assertThat(Layout.keptBesideOthersIn(ROOT + "/_layers")).isEmpty();
        assertThat(Layout.keptBesideOthersIn(ROOT + "/_uploads")).isEmpty();
        assertThat(Layout.keptBesideOthersIn(ROOT + "/_layers/sha256/" + HEX)).isEmpty();
        assertThat(Layout.keptBesideOthersIn("/docker/registry/v2/blobs/sha256/ab")).isEmpty();
        assertThat(Layout.keptBesideOthersIn("/docker/registry/v2/repositories")).isEmpty();
    }

    @Test
    void placesUploadsUnderTheRepository() {
        UploadId id = new UploadId("3f1b7c2e-0000-4000-8000-000000000000");
        assertThat(Layout.key(new StoragePath.UploadData(REPO, id))).isEqualTo(ROOT + "/_uploads/" + id + "/data");
        assertThat(Layout.key(new StoragePath.UploadStartedAt(REPO, id)))
                .isEqualTo(ROOT + "/_uploads/" + id + "/startedat");
    }

    @Test
    void keepsBerthsFilesBesideTheOnesTheyConcern() {
        String blob = "/docker/registry/v2/blobs/sha256/6c/" + HEX;
        assertThat(Layout.key(new StoragePath.BlobClaim(DIGEST))).isEqualTo(blob + "/claimed");
        assertThat(Layout.key(new StoragePath.Quarantine(new StoragePath.BlobData(DIGEST), "r1")))
                .isEqualTo(blob + "/quarantine-r1");
        assertThat(Layout.key(new StoragePath.Quarantine(new StoragePath.LayerLink(REPO, DIGEST), "r1")))
                .isEqualTo(ROOT + "/_layers/sha256/" + HEX + "/quarantine-r1");
        assertThat(Layout.key(new StoragePath.BlobShard(DigestAlgorithm.SHA256, "6c")))
                .isEqualTo("/docker/registry/v2/blobs/sha256/6c");
    }

    @Test
    void quarantinesOnlyBlobDataAndLinks() {
        assertThatThrownBy(() -> new StoragePath.Quarantine(new StoragePath.RepositoryRoot(REPO), "r1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoragePath.Quarantine(new StoragePath.BlobData(DIGEST), "../x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
