package dev.berth.api;

import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.UploadId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An endpoint of the API with its path parameters, already validated against the spec's grammar.
 *
 * <p>Each record's {@link Endpoint} holds what the routes of an endpoint share, rather than the methods below
 * switching over the records: a switch over a sealed type links its call site the first time it runs, which JDK 25's
 * start-up cache does not keep, and a server's first answer ran four of them: 8 of its 65 ms of CPU here
 * (docs/performance-changes.md, change 92).
 */
public sealed interface Route {

    /** What the routes of one endpoint share: their type, the path's template and the methods it answers. */
    enum Endpoint {
        BASE(Base.class, "/v2/", Methods.READ),
        CATALOG(Catalog.class, "/v2/_catalog", Methods.READ),
        TAG_LIST(TagList.class, "/v2/{name}/tags/list", Methods.READ),
        MANIFEST(Manifest.class, "/v2/{name}/manifests/{reference}", Methods.MANIFEST),
        BLOB(Blob.class, "/v2/{name}/blobs/{digest}", Methods.BLOB),
        UPLOAD_START(UploadStart.class, "/v2/{name}/blobs/uploads/", Methods.UPLOAD_START),
        UPLOAD(Upload.class, "/v2/{name}/blobs/uploads/{uuid}", Methods.UPLOAD),
        REFERRERS(Referrers.class, "/v2/{name}/referrers/{digest}", Methods.READ),
        TOKEN(Token.class, "/auth/token", Methods.READ);

        private static final Map<Class<?>, Endpoint> BY_TYPE = byType();

        private final Class<? extends Route> type;
        private final String template;
        private final List<String> methods;

        Endpoint(Class<? extends Route> type, String template, List<String> methods) {
            this.type = type;
            this.template = template;
            this.methods = methods;
        }

        private static Map<Class<?>, Endpoint> byType() {
            Map<Class<?>, Endpoint> byType = new HashMap<>();
            for (Endpoint endpoint : values()) {
                byType.put(endpoint.type, endpoint);
            }
            return Map.copyOf(byType);
        }
    }

    /** The endpoint the route addresses. */
    default Endpoint endpoint() {
        return Endpoint.BY_TYPE.get(getClass());
    }

    /** A route that acts on one repository. */
    sealed interface InRepository extends Route {
        RepositoryName name();
    }

    /** {@code /v2/}: the API version check. */
    record Base() implements Route {
    }

    /** {@code /v2/_catalog}. */
    record Catalog() implements Route {
    }

    /** {@code /v2/<name>/tags/list}. */
    record TagList(RepositoryName name) implements InRepository {
    }

    /** {@code /v2/<name>/manifests/<reference>}. */
    record Manifest(RepositoryName name, Reference reference) implements InRepository {
    }

    /** {@code /v2/<name>/blobs/<digest>}. */
    record Blob(RepositoryName name, Digest digest) implements InRepository {
    }

    /** {@code /v2/<name>/blobs/uploads/}: starts an upload, or a mount. */
    record UploadStart(RepositoryName name) implements InRepository {
    }

    /** {@code /v2/<name>/blobs/uploads/<id>}. */
    record Upload(RepositoryName name, UploadId id) implements InRepository {
    }

    /** {@code /v2/<name>/referrers/<digest>}. */
    record Referrers(RepositoryName name, Digest digest) implements InRepository {
    }

    /** {@code /auth/token}: Berth's own token service, outside the {@code /v2/} API. */
    record Token() implements Route {
    }

    /** The route's path with its parameters named, as metrics and logs group requests by. */
    default String template() {
        return endpoint().template;
    }

    /** The path that addresses this endpoint with these parameters: what {@link RouteParser} parses back. */
    default String path() {
        return switch (this) {
            case Base b -> "/v2/";
            case Catalog c -> "/v2/_catalog";
            case TagList t -> "/v2/" + t.name() + "/tags/list";
            case Manifest m -> "/v2/" + m.name() + "/manifests/" + m.reference();
            case Blob b -> "/v2/" + b.name() + "/blobs/" + b.digest();
            case UploadStart u -> "/v2/" + u.name() + "/blobs/uploads/";
            case Upload u -> "/v2/" + u.name() + "/blobs/uploads/" + u.id().value();
            case Referrers r -> "/v2/" + r.name() + "/referrers/" + r.digest();
            case Token t -> "/auth/token";
        };
    }

    /** The methods the endpoint answers (OPTIONS aside), as {@code Allow} lists them. */
    default String methods() {
        return String.join(", ", methodList());
    }

    /** Whether the endpoint answers {@code method}. */
    default boolean answers(String method) {
        return methodList().contains(method);
    }

    /** Those of its methods that only read: all a read-only registry still answers here. */
    default String readMethods() {
        return methodsWhere(method -> method.equals("GET") || method.equals("HEAD"));
    }

    /** Its methods but {@code method}: those left while deletes are disabled, say. */
    default String methodsOtherThan(String method) {
        return methodsWhere(other -> !other.equals(method));
    }

    private String methodsWhere(Predicate<String> kept) {
        return methodList().stream().filter(kept).collect(Collectors.joining(", "));
    }

    // constants, not parsed from the Allow text: answers() runs for every request
    private List<String> methodList() {
        return endpoint().methods;
    }

    /** The repository the route acts on, if any. */
    default Optional<RepositoryName> repository() {
        return this instanceof InRepository route ? Optional.of(route.name()) : Optional.empty();
    }

    /** The endpoints' methods, in the order {@code Allow} lists them. */
    final class Methods {
        private static final List<String> READ = List.of("GET", "HEAD");
        private static final List<String> MANIFEST = List.of("GET", "HEAD", "PUT", "DELETE");
        private static final List<String> BLOB = List.of("GET", "HEAD", "DELETE");
        private static final List<String> UPLOAD_START = List.of("POST");
        private static final List<String> UPLOAD = List.of("GET", "HEAD", "PATCH", "PUT", "DELETE");

        private Methods() {
        }
    }
}
