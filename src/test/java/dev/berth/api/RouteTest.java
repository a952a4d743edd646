package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.oci.UploadId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTest {

    private static final RepositoryName NAME = RepositoryName.parse("team/app");
    private static final Digest DIGEST =
            Digest.parse("sha256:abababababababababababababababababababababababababababababababab");

    /** A route, and what metrics, logs, the access check and {@code Allow} take from it. */
    private record Expected(Route route, String template, String methods, Optional<RepositoryName> repository) {
    }

    private static final List<Expected> EVERY_ENDPOINT = List.of(
            new Expected(new Route.Base(), "/v2/", "GET, HEAD", Optional.empty()),
            new Expected(new Route.Catalog(), "/v2/_catalog", "GET, HEAD", Optional.empty()),
            new Expected(new Route.TagList(NAME), "/v2/{name}/tags/list", "GET, HEAD", Optional.of(NAME)),
            new Expected(new Route.Manifest(NAME, Tag.parse("v1")), "/v2/{name}/manifests/{reference}",
                    "GET, HEAD, PUT, DELETE", Optional.of(NAME)),
            new Expected(new Route.Blob(NAME, DIGEST), "/v2/{name}/blobs/{digest}", "GET, HEAD, DELETE",
                    Optional.of(NAME)),
            new Expected(new Route.UploadStart(NAME), "/v2/{name}/blobs/uploads/", "POST", Optional.of(NAME)),
            new Expected(new Route.Upload(NAME, new UploadId("abc-123")), "/v2/{name}/blobs/uploads/{uuid}",
                    "GET, HEAD, PATCH, PUT, DELETE", Optional.of(NAME)),
            new Expected(new Route.Referrers(NAME, DIGEST), "/v2/{name}/referrers/{digest}", "GET, HEAD",
                    Optional.of(NAME)),
            new Expected(new Route.Token(), "/auth/token", "GET, HEAD", Optional.empty()));

    @Test
    void eachEndpointHasItsTemplateMethodsAndRepository() {
        for (Expected expected : EVERY_ENDPOINT) {
            Route route = expected.route();
            assertThat(route.template()).as("%s", route).isEqualTo(expected.template());
            assertThat(route.methods()).as("%s", route).isEqualTo(expected.methods());
            assertThat(route.repository()).as("%s", route).isEqualTo(expected.repository());
            assertThat(RouteParser.parse(route.path())).as("%s", route).isEqualTo(route);
        }
    }

    @Test
    void eachRouteNamesAnEndpointOfItsOwn() {
        assertThat(EVERY_ENDPOINT.stream().map(expected -> expected.route().endpoint()).toList())
                .containsExactlyInAnyOrder(Route.Endpoint.values());
        assertThat(Arrays.stream(Route.class.getPermittedSubclasses()).flatMap(type -> type.isInterface()
                ? Arrays.stream(type.getPermittedSubclasses()) : Arrays.stream(new Class<?>[] {type})))
                .containsExactlyInAnyOrderElementsOf(EVERY_ENDPOINT.stream()
                        .<Class<?>>map(expected -> expected.route().getClass()).toList());
    }
}
