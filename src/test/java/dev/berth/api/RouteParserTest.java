package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digest;
import dev.berth.oci.InvalidNameException;
import dev.berth.oci.InvalidValueException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.oci.UploadId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RouteParserTest {

    private static final String DIGEST = "sha256:abababababababababababababababababababababababababababababababab";

    private static RepositoryName name(String value) {
        return RepositoryName.parse(value);
    }

    @Test
    void recognisesEveryEndpoint() {
        assertThat(RouteParser.parse("/v2/")).isEqualTo(new Route.Base());
        assertThat(RouteParser.parse("/v2")).isEqualTo(new Route.Base());
        assertThat(RouteParser.parse("/v2/_catalog")).isEqualTo(new Route.Catalog());
        assertThat(RouteParser.parse("/auth/token")).isEqualTo(new Route.Token());
        assertThat(RouteParser.parse("/v2/library/ubuntu/tags/list"))
                .isEqualTo(new Route.TagList(name("library/ubuntu")));
        assertThat(RouteParser.parse("/v2/a/manifests/latest"))
                .isEqualTo(new Route.Manifest(name("a"), Tag.parse("latest")));
        assertThat(RouteParser.parse("/v2/a/manifests/" + DIGEST))
                .isEqualTo(new Route.Manifest(name("a"), Digest.parse(DIGEST)));
        assertThat(RouteParser.parse("/v2/a/b/blobs/uploads/")).isEqualTo(new Route.UploadStart(name("a/b")));
        assertThat(RouteParser.parse("/v2/a/b/blobs/uploads")).isEqualTo(new Route.UploadStart(name("a/b")));
        assertThat(RouteParser.parse("/v2/a/blobs/uploads/abc-123"))
                .isEqualTo(new Route.Upload(name("a"), new UploadId("abc-123")));
        assertThat(RouteParser.parse("/v2/a/blobs/" + DIGEST))
                .isEqualTo(new Route.Blob(name("a"), Digest.parse(DIGEST)));
        assertThat(RouteParser.parse("/v2/a/referrers/" + DIGEST))
                .isEqualTo(new Route.Referrers(name("a"), Digest.parse(DIGEST)));
    }

    @Test
    void takesTheEndpointAtThePathsEndWhenItsWordsAreInTheNameToo() {
        assertThat(RouteParser.parse("/v2/tags/list/tags/list")).isEqualTo(new Route.TagList(name("tags/list")));
        assertThat(RouteParser.parse("/v2/a/manifests/manifests/v1"))
                .isEqualTo(new Route.Manifest(name("a/manifests"), Tag.parse("v1")));
        assertThat(RouteParser.parse("/v2/blobs/blobs/uploads/")).isEqualTo(new Route.UploadStart(name("blobs")));
        assertThat(RouteParser.parse("/v2/a/blobs/uploads/blobs/" + DIGEST))
                .isEqualTo(new Route.Blob(name("a/blobs/uploads"), Digest.parse(DIGEST)));
        assertThat(RouteParser.parse("/v2/a/manifests/tags/list")).isEqualTo(new Route.TagList(name("a/manifests")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/v3/a/tags/list", "/v2/tags/list", "/v2//manifests/x", "/v2/a/manifests/",
            "/v2/a/blobs/", "/v2/a/blobs/uploads//", "/v2/a/referrers/", "/v2/a", "/v2/a/unknown/x", "/v2/a/tags",
            "/v2blobs/uploads/", "/auth/tokens"})
    void answersNotFoundForPathsOutsideTheApi(String path) {
        assertThatThrownBy(() -> RouteParser.parse(path)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/A/tags/list", "/v2/../etc/manifests/latest", "/v2/a//b/blobs/uploads/",
            "/v2/a/../b/blobs/" + DIGEST, "/v2/a\nb/tags/list"})
    void refusesNamesOutsideTheGrammar(String path) {
        assertThatThrownBy(() -> RouteParser.parse(path)).isInstanceOf(InvalidNameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/a/manifests/-latest", "/v2/a/blobs/sha256:abc", "/v2/a/blobs/uploads/..",
            "/v2/a/referrers/latest"})
    void refusesParametersOutsideTheirGrammar(String path) {
        assertThatThrownBy(() -> RouteParser.parse(path)).isInstanceOf(InvalidValueException.class);
    }
}
