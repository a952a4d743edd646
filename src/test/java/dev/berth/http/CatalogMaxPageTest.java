package dev.berth.http;

import static dev.berth.http.TestRegistry.header;
import static dev.berth.http.TestRegistry.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code catalog.maxentries} set below distribution's default page of 100. */
class CatalogMaxPageTest {

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withCatalogMaxPage(2);

    @Test
    void noPageHoldsMoreThanTheConfiguredMostAndTheRestIsLinked() {
        for (String name : List.of("a", "b", "c")) {
            registry.pushImage(name, "latest");
        }

        for (String query : List.of("", "?n=100")) {
            HttpResponse<byte[]> first = registry.get("/v2/_catalog" + query);

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(repositories(first)).as("GET /v2/_catalog%s", query).containsExactly("a", "b");
            assertThat(header(first, "Link")).isEqualTo("</v2/_catalog?n=2&last=b>; rel=\"next\"");
            assertThat(repositories(registry.get("/v2/_catalog?n=2&last=b"))).containsExactly("c");
        }
        assertThat(repositories(registry.get("/v2/_catalog?n=1"))).as("a smaller page is still served")
                .containsExactly("a");
    }

    private static List<String> repositories(HttpResponse<byte[]> response) {
        List<String> names = new ArrayList<>();
        json(response).get("repositories").forEach(node -> names.add(node.asText()));
        return names;
    }
}
