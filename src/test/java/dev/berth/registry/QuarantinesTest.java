package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.FileInfo;
import dev.berth.storage.ForwardingStorageDriver;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.filesystem.FilesystemDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath.BlobClaim;
import dev.berth.storage.layout.StoragePath.BlobData;
import dev.berth.storage.layout.StoragePath.ManifestRevisionLink;
import dev.berth.storage.layout.StoragePath.Quarantine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader's putting back what the collector set aside, and its cost when there is nothing to put back. */
class QuarantinesTest {

    private static final RepositoryName APP = RepositoryName.parse("team/app");
    private static final BlobData DATA = new BlobData(Digest.sha256("layer".getBytes(StandardCharsets.UTF_8)));

    @TempDir
    Path root;

    private final AtomicInteger looks = new AtomicInteger();
    private StorageDriver driver;
    private Quarantines quarantines;

    @BeforeEach
    void setUp() {
        driver = new ForwardingStorageDriver(new FilesystemDriver(root)) {
            @Override
            public Optional<FileInfo> stat(String key) {
                looks.incrementAndGet();
                return delegate.stat(key);
            }

            @Override
            public Optional<FileInfo> statFile(String key) {
                looks.incrementAndGet();
                return delegate.statFile(key);
            }
        };
        quarantines = new Quarantines(driver);
    }

    /** The first push of a blob or manifest: claimed, then looked for, then written. */
    @Test
    void aMissingBlobBesideItsClaimIsMissingWithoutALookAtTheFile() {
        new Claims(driver).claim(DATA.digest());
        assertThat(driver.list(Layout.directory(DATA))).containsExactly(
                Layout.key(new BlobClaim(DATA.digest())).substring(Layout.directory(DATA).length() + 1));
        assertThat(quarantines.restore(DATA)).isFalse();
        assertThat(looks).hasValue(0);
    }

    @Test
    void aBlobWrittenBeforeTheListingIsThere() {
        new Claims(driver).claim(DATA.digest());
        driver.putContent(Layout.key(DATA), new byte[] {1});
        assertThat(quarantines.restore(DATA)).isTrue();
    }

    @Test
    void aQuarantinedCopyIsPutBack() {
        driver.putContent(Layout.key(DATA), new byte[] {1});
        assertThat(quarantines.setAside(DATA, "run-1")).isTrue();
        assertThat(driver.statFile(Layout.key(DATA))).isEmpty();
        assertThat(quarantines.restore(DATA)).isTrue();
        assertThat(driver.getContent(Layout.key(DATA))).containsExactly(1);
        assertThat(driver.list(Layout.directory(DATA))).doesNotContain(
                Layout.key(new Quarantine(DATA, "run-1")).substring(Layout.directory(DATA).length() + 1));
    }

    @Test
    void aReferrerWhoseRevisionLinkIsSetAsideIsListedAndPutBack() {
        Registry registry = Registry.over(driver, true, ManifestRules.NO_URLS, Clock.systemUTC());
        TestImages images = new TestImages(registry);
        Descriptor subject = images.image("team/app", "v1", "config", images.layer("team/app", "layer"));
        Descriptor signature = images.referrer("team/app", subject, "signature");
        ManifestRevisionLink link = new ManifestRevisionLink(APP, signature.digest());
        assertThat(quarantines.setAside(link, "run-1")).isTrue();

        assertThat(registry.referrers().list(APP, subject.digest(), Optional.empty())).extracting(Descriptor::digest)
                .containsExactly(signature.digest());
        assertThat(driver.statFile(Layout.key(link))).isPresent();
    }
}
