package dev.berth.http;

import static dev.berth.http.ErrorEnvelope.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.auth.OpenAccess;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code storage.maintenance.readonly}: writes answer 405 UNSUPPORTED and change nothing; reads go on. */
class ReadOnlyTest {

    /** Read-only switched on after the content below was pushed, as an operator restarts a registry with it. */
    private final AtomicBoolean readOnly = new AtomicBoolean();

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withAccessControl(directory -> {
        OpenAccess open = new OpenAccess();
        ReadOnlyAccess restricted = new ReadOnlyAccess(open);
        return (request, requested) -> readOnly.get() ? restricted.authorize(request, requested)
                : open.authorize(request, requested);
    });

    @Test
    void refusesEveryWriteAndServesEveryRead() {
        TestManifest manifest = registry.pushImage("team/app", "v1");
        String upload = registry.startUpload("team/app");
        TestBlob blob = TestBlob.random(100);
        readOnly.set(true);
        StoreSnapshot before = registry.snapshot();

        assertError(registry.post("/v2/team/app/blobs/uploads/"), 405, "UNSUPPORTED");
        assertError(registry.post("/v2/team/app/blobs/uploads/?digest=" + blob.digest(), blob.bytes()), 405,
                "UNSUPPORTED");
        assertError(registry.patch(upload, blob.bytes(), ""), 405, "UNSUPPORTED");
        assertError(registry.put(upload + "?digest=" + blob.digest(), "application/octet-stream", blob.bytes()),
                405, "UNSUPPORTED");
        assertError(registry.delete(upload), 405, "UNSUPPORTED");
        assertError(registry.putManifest("team/app", "v2", manifest), 405, "UNSUPPORTED");
        assertError(registry.delete("/v2/team/app/manifests/" + manifest.digest()), 405, "UNSUPPORTED");
        assertError(registry.send(registry.request("/v2/team/app/blobs/uploads/?mount=" + blob.digest()
                + "&from=team/other").POST(BodyPublishers.noBody())), 405, "UNSUPPORTED");
        assertThat(registry.snapshot()).isEqualTo(before);
        // a 405 says which methods are left (RFC 9110 section 15.5.6): the reads, none to start an upload
        assertThat(TestRegistry.header(registry.putManifest("team/app", "v2", manifest), "Allow"))
                .isEqualTo("GET, HEAD");
        assertThat(TestRegistry.header(registry.delete(upload), "Allow")).isEqualTo("GET, HEAD");
        assertThat(registry.post("/v2/team/app/blobs/uploads/").headers().firstValue("Allow")).contains("");

        assertThat(registry.get("/v2/team/app/manifests/v1").statusCode()).isEqualTo(200);
        assertThat(registry.get("/v2/team/app/tags/list").statusCode()).isEqualTo(200);
        assertThat(registry.get("/v2/_catalog").statusCode()).isEqualTo(200);
        assertThat(registry.get(upload).statusCode()).isEqualTo(204);
    }
}
