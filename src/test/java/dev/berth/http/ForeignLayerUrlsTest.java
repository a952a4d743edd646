package dev.berth.http;

import static dev.berth.http.ErrorEnvelope.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.ManifestRules;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Layers with {@code urls} under {@code validation.manifests.urls} allow and deny rules. */
class ForeignLayerUrlsTest {

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withManifestRules(new ManifestRules(
            List.of(Pattern.compile("^https://foreign\\.example\\.com/")), List.of(Pattern.compile("/forbidden/"))));

    @Test
    void acceptsAllowedForeignLayerThatIsNotInTheRegistry() {
        TestManifest manifest = registry.image("repo")
                .foreignLayer(TestBlob.random(100), "https://foreign.example.com/layers/base.tar.gz").build();

        HttpResponse<byte[]> put = registry.putManifest("repo", "latest", manifest);

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(registry.get("/v2/repo/manifests/latest").body()).isEqualTo(manifest.bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://elsewhere.example.com/layers/base.tar.gz",
            "https://foreign.example.com/forbidden/base.tar.gz",
            "ftp://foreign.example.com/layers/base.tar.gz",
            "https://foreign.example.com/layers/base.tar.gz#fragment",
    })
    void refusesForeignLayerUrlOutsideTheRules(String url) {
        TestManifest manifest = registry.image("repo").foreignLayer(TestBlob.random(100), url).build();
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> put = registry.putManifest("repo", "latest", manifest);

        assertError(put, 400, "MANIFEST_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertError(registry.get("/v2/repo/manifests/latest"), 404, "MANIFEST_UNKNOWN");
    }
}
