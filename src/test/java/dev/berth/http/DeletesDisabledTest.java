package dev.berth.http;

import static dev.berth.http.ErrorEnvelope.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code storage.delete.enabled: false}, every DELETE but cancelling an upload is refused with 405. */
class DeletesDisabledTest {

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withDeletesDisabled();

    @Test
    void refusesBlobDeleteWith405AndKeepsBlob() {
        TestBlob blob = TestBlob.random(100);
        registry.pushBlob("repo", blob);
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> refused = registry.delete("/v2/repo/blobs/" + blob.digest());

        assertError(refused, 405, "UNSUPPORTED");
        assertThat(TestRegistry.header(refused, "Allow")).isEqualTo("GET, HEAD");

        assertThat(registry.snapshot()).isEqualTo(before);
        assertThat(registry.get("/v2/repo/blobs/" + blob.digest()).body()).isEqualTo(blob.bytes());
    }

    @Test
    void refusesTagDeleteWith405AndKeepsTag() {
        TestManifest manifest = registry.pushImage("repo", "latest");
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> refused = registry.delete("/v2/repo/manifests/latest");

        assertError(refused, 405, "UNSUPPORTED");
        assertThat(TestRegistry.header(refused, "Allow")).isEqualTo("GET, HEAD, PUT");

        assertThat(registry.snapshot()).isEqualTo(before);
        assertThat(registry.get("/v2/repo/manifests/latest").body()).isEqualTo(manifest.bytes());
    }

    @Test
    void refusesManifestDeleteWith405AndKeepsManifest() {
        TestManifest manifest = registry.pushImage("repo", "latest");
        StoreSnapshot before = registry.snapshot();

        assertError(registry.delete("/v2/repo/manifests/" + manifest.digest()), 405, "UNSUPPORTED");

        assertThat(registry.snapshot()).isEqualTo(before);
        assertThat(registry.get("/v2/repo/manifests/" + manifest.digest()).body()).isEqualTo(manifest.bytes());
    }

    @Test
    void stillCancelsUploads() {
        String location = registry.startUpload("repo");

        assertThat(registry.delete(location).statusCode()).isEqualTo(204);
        assertError(registry.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }
}
