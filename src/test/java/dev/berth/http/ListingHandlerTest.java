package dev.berth.http;

import static dev.berth.http.ErrorEnvelope.assertError;
import static dev.berth.http.TestRegistry.header;
import static dev.berth.http.TestRegistry.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.registry.Catalog;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /v2/<name>/tags/list} and {@code /v2/_catalog}: sorting, pagination and unknown repositories. */
class ListingHandlerTest {

    private static final Pattern NEXT_LINK = Pattern.compile("<(/v2/[^>]+)>; rel=\"next\"");

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withDefaults();

    @Test
    void listsTagsSorted() {
        TestManifest manifest = registry.pushImage("repo", "v2");
        for (String tag : List.of("v10", "latest", "1.0", "v1", "_private")) {
            registry.pushManifest("repo", tag, manifest);
        }

        HttpResponse<byte[]> response = registry.get("/v2/repo/tags/list");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).startsWith("application/json");
        JsonNode body = json(response);
        assertThat(body.get("name").asText()).isEqualTo("repo");
        assertThat(strings(body.get("tags"))).containsExactly("1.0", "_private", "latest", "v1", "v10", "v2");
        assertThat(response.headers().firstValue("Link")).isEmpty();
    }

    @Test
    void listsTagsOfNestedRepository() {
        registry.pushImage("a/b", "outer");
        registry.pushImage("a/b/c", "inner");

        assertThat(strings(json(registry.get("/v2/a/b/tags/list")).get("tags"))).containsExactly("outer");
        JsonNode inner = json(registry.get("/v2/a/b/c/tags/list"));
        assertThat(inner.get("name").asText()).isEqualTo("a/b/c");
        assertThat(strings(inner.get("tags"))).containsExactly("inner");
    }

    @Test
    void paginatesTagsFollowingLinkHeaders() {
        TestManifest manifest = registry.pushImage("repo", "t1");
        for (String tag : List.of("t2", "t3", "t4", "t5")) {
            registry.pushManifest("repo", tag, manifest);
        }

        HttpResponse<byte[]> first = registry.get("/v2/repo/tags/list?n=2");

        assertThat(strings(json(first).get("tags"))).containsExactly("t1", "t2");
        assertThat(header(first, "Link")).isEqualTo("</v2/repo/tags/list?n=2&last=t2>; rel=\"next\"");
        HttpResponse<byte[]> second = registry.get(nextLink(first));
        assertThat(strings(json(second).get("tags"))).containsExactly("t3", "t4");
        assertThat(header(second, "Link")).isEqualTo("</v2/repo/tags/list?n=2&last=t4>; rel=\"next\"");
        HttpResponse<byte[]> third = registry.get(nextLink(second));
        assertThat(strings(json(third).get("tags"))).containsExactly("t5");
        assertThat(third.headers().firstValue("Link")).isEmpty();
    }

    @Test
    void listsTagsAfterLastWithoutN() {
        TestManifest manifest = registry.pushImage("repo", "a");
        registry.pushManifest("repo", "b", manifest);
        registry.pushManifest("repo", "c", manifest);

        HttpResponse<byte[]> response = registry.get("/v2/repo/tags/list?last=a");

        assertThat(strings(json(response).get("tags"))).containsExactly("b", "c");
        assertThat(response.headers().firstValue("Link")).isEmpty();
    }

    @Test
    void listsAllTagsWithoutLinkWhenNCoversThem() {
        TestManifest manifest = registry.pushImage("repo", "a");
        registry.pushManifest("repo", "b", manifest);

        HttpResponse<byte[]> response = registry.get("/v2/repo/tags/list?n=2");

        assertThat(strings(json(response).get("tags"))).containsExactly("a", "b");
        assertThat(response.headers().firstValue("Link")).isEmpty();
    }

    @Test
    void answersNZeroWithEmptyTagListAndNoLink() {
        registry.pushImage("repo", "latest");

        HttpResponse<byte[]> response = registry.get("/v2/repo/tags/list?n=0");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(strings(json(response).get("tags"))).isEmpty();
        assertThat(response.headers().firstValue("Link")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "1.5", "99999999999"})
    void rejectsInvalidTagPageSizeWith400(String n) {
        registry.pushImage("repo", "latest");

        assertError(registry.get("/v2/repo/tags/list?n=" + n), 400, "PAGINATION_NUMBER_INVALID");
    }

    @Test
    void answersTagsOfUnknownRepositoryWith404NameUnknown() {
        assertError(registry.get("/v2/nowhere/tags/list"), 404, "NAME_UNKNOWN");
    }

    @Test
    void answersTagsOfRepositoryWithOnlyBlobsWith404NameUnknown() {
        registry.pushBlob("blobs-only", TestBlob.random(10));

        assertError(registry.get("/v2/blobs-only/tags/list"), 404, "NAME_UNKNOWN");
    }

    @Test
    void answersTagsOfRepositoryWhoseOnlyTagWasDeletedWithEmptyList() {
        registry.pushImage("repo", "latest");
        registry.delete("/v2/repo/manifests/latest");

        HttpResponse<byte[]> response = registry.get("/v2/repo/tags/list");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(strings(json(response).get("tags"))).isEmpty();
    }

    @Test
    void listsRepositoriesSortedIncludingNestedOnes() {
        for (String name : List.of("b", "a/b/c", "a/b", "a", "c-d/e")) {
            registry.pushImage(name, "latest");
        }
        registry.pushBlob("blobs-only", TestBlob.random(10));

        HttpResponse<byte[]> response = registry.get("/v2/_catalog");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).startsWith("application/json");
        assertThat(strings(json(response).get("repositories"))).containsExactly("a", "a/b", "a/b/c", "b", "c-d/e");
        assertThat(response.headers().firstValue("Link")).isEmpty();
    }

    @Test
    void answersEmptyCatalogOfEmptyRegistry() {
        HttpResponse<byte[]> response = registry.get("/v2/_catalog");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(strings(json(response).get("repositories"))).isEmpty();
    }

    @Test
    void paginatesCatalogFollowingLinkHeaders() {
        for (String name : List.of("a", "a/b", "a/b/c", "b", "c")) {
            registry.pushImage(name, "latest");
        }

        HttpResponse<byte[]> first = registry.get("/v2/_catalog?n=2");

        assertThat(strings(json(first).get("repositories"))).containsExactly("a", "a/b");
        assertThat(header(first, "Link")).isEqualTo("</v2/_catalog?n=2&last=a%2Fb>; rel=\"next\"");
        List<String> rest = new ArrayList<>();
        HttpResponse<byte[]> page = first;
        while (page.headers().firstValue("Link").isPresent()) {
            page = registry.get(nextLink(page));
            assertThat(page.statusCode()).isEqualTo(200);
            rest.addAll(strings(json(page).get("repositories")));
        }
        assertThat(rest).containsExactly("a/b/c", "b", "c");
    }

    @Test
    void answersCatalogNZeroWithEmptyListAndNoLink() {
        registry.pushImage("repo", "latest");

        HttpResponse<byte[]> response = registry.get("/v2/_catalog?n=0");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(strings(json(response).get("repositories"))).isEmpty();
        assertThat(response.headers().firstValue("Link")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5", "ten", "", "5000"})
    void rejectsInvalidCatalogPageSizeWith400(String n) {
        HttpResponse<byte[]> response = registry.get("/v2/_catalog?n=" + n);

        if (n.isEmpty() || n.equals("5000")) {
            assertThat(response.statusCode()).as("an empty n means the default page").isEqualTo(200);
        } else {
            assertError(response, 400, "PAGINATION_NUMBER_INVALID");
        }
    }

    /** As distribution: without n, a page of 100, so that no request lists all of a large registry. */
    @Test
    void pagesTheCatalogBy100WhenNoSizeIsAsked() {
        for (int i = 0; i <= 100; i++) {
            registry.pushImage("r/%03d".formatted(i), "latest");
        }

        HttpResponse<byte[]> first = registry.get("/v2/_catalog");

        assertThat(strings(json(first).get("repositories"))).hasSize(100).startsWith("r/000").endsWith("r/099");
        assertThat(header(first, "Link")).isEqualTo("</v2/_catalog?n=100&last=r%2F099>; rel=\"next\"");
        assertThat(strings(json(registry.get(nextLink(first))).get("repositories"))).containsExactly("r/100");
    }

    @Test
    void servesAtMostAThousandRepositoriesAPageAndLinksTheRest() throws Exception {
        // repositories as a registry's volume holds them, made directly: pushing 1,001 would take long
        String revision = "sha256/" + "ab".repeat(32);
        for (int i = 0; i <= Catalog.DEFAULT_MAX_PAGE; i++) {
            Path link = registry.storage().resolve("docker/registry/v2/repositories/r/%04d/_manifests/revisions/"
                    .formatted(i) + revision + "/link");
            Files.createDirectories(link.getParent());
            Files.writeString(link, "sha256:" + "ab".repeat(32));
        }

        HttpResponse<byte[]> first = registry.get("/v2/_catalog?n=5000");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(strings(json(first).get("repositories"))).hasSize(1000).startsWith("r/0000").endsWith("r/0999");
        assertThat(header(first, "Link")).isEqualTo("</v2/_catalog?n=1000&last=r%2F0999>; rel=\"next\"");
        assertThat(strings(json(registry.get(nextLink(first))).get("repositories"))).containsExactly("r/1000");
    }

    private static String nextLink(HttpResponse<byte[]> response) {
        Matcher m = NEXT_LINK.matcher(header(response, "Link"));
        assertThat(m.matches()).as("Link header %s", header(response, "Link")).isTrue();
        return m.group(1);
    }

    private static List<String> strings(JsonNode array) {
        assertThat(array.isArray()).as("%s is an array", array).isTrue();
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
