package dev.berth.http;

import dev.berth.api.Bodies;
import dev.berth.api.Headers;
import dev.berth.api.Page;
import dev.berth.api.Route;
import dev.berth.auth.Permissions;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.registry.Registry;
import java.util.List;
import java.util.Optional;

/** The read-only endpoints: {@code /v2/}, the catalog, tag lists and referrers. */
final class ListingHandler {

    private static final String JSON = "application/json";
    private static final int CATALOG_PAGE = 100;

    private final Registry registry;

    ListingHandler(Registry registry) {
        this.registry = registry;
    }

    void base(Exchange exchange) {
        exchange.send(200, JSON, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The catalog, holding only the repositories the caller may see (by default, those they may pull from). A page
     * holds 100 repositories unless {@code n} asks otherwise, as in distribution, and the catalog's
     * {@link dev.berth.registry.Catalog#maxPage() most} (1,000 by default), so that no request walks the whole tree
     * of a large registry. (distribution 3 refuses an {@code n} over its {@code catalog.maxentries} with 400, and
     * 2.8 serves any {@code n}; Berth serves the page it can, and links the next.)
     */
    void catalog(Exchange exchange, Permissions permissions) {
        int max = registry.catalog().maxPage();
        int n = Math.min(limit(exchange).orElse(CATALOG_PAGE), max);
        String last = last(exchange);
        // one more than the page holds, which tells whether a Link to the next page is due
        List<RepositoryName> visible = registry.catalog().list(last, n + 1,
                name -> permissions.listsInCatalog(name.value()));
        Page<RepositoryName> page = Page.of(visible, RepositoryName::value, Optional.of(n), last);
        link(exchange, "/v2/_catalog", page, RepositoryName::value);
        exchange.send(200, JSON, Bodies.catalog(page.entries().stream().map(RepositoryName::value).toList()));
    }

    void tags(Exchange exchange, RepositoryName name) {
        Page<Tag> page = Page.of(registry.tags().list(name), Tag::value, limit(exchange), last(exchange));
        link(exchange, new Route.TagList(name).path(), page, Tag::value);
        exchange.send(200, JSON, Bodies.tagList(name.value(), page.entries().stream().map(Tag::value).toList()));
    }

    void referrers(Exchange exchange, RepositoryName name, Digest digest) {
        Optional<String> artifactType = exchange.query("artifactType").filter(type -> !type.isEmpty());
        artifactType.ifPresent(type -> exchange.header(Headers.OCI_FILTERS_APPLIED, "artifactType"));
        exchange.send(200, MediaType.OCI_INDEX, Bodies.referrers(registry.referrers().list(name, digest, artifactType)));
    }

    private static Optional<Integer> limit(Exchange exchange) {
        return Page.limit(exchange.query("n").orElse(null));
    }

    private static String last(Exchange exchange) {
        return exchange.query("last").orElse("");
    }

    private static <T> void link(Exchange exchange, String path, Page<T> page,
                                 java.util.function.Function<T, String> key) {
        if (page.more()) {
            String last = key.apply(page.entries().getLast());
            // the path the request used, whatever http.host says, as distribution makes it
            exchange.header("Link", Page.nextLink(exchange.servedPath(path), page.entries().size(), last));
        }
    }
}
