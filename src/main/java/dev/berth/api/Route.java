package dev.berth.api;

import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.UploadId;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** An endpoint of the API with its path parameters, already validated against the spec's grammar. */
public sealed interface Route {

    /** {@code /v2/}: the API version check. */
    record Base() implements Route {
    }

    /** {@code /v2/_catalog}. */
    record Catalog() implements Route {
    }

    /** {@code /v2/<name>/tags/list}. */
    record TagList(RepositoryName name) implements Route {
    }

    /** {@code /v2/<name>/manifests/<reference>}. */
    record Manifest(RepositoryName name, Reference reference) implements Route {
    }

    /** {@code /v2/<name>/blobs/<digest>}. */
    record Blob(RepositoryName name, Digest digest) implements Route {
    }

    /** {@code /v2/<name>/blobs/uploads/}: starts an upload, or a mount. */
    record UploadStart(RepositoryName name) implements Route {
    }

    /** {@code /v2/<name>/blobs/uploads/<id>}. */
    record Upload(RepositoryName name, UploadId id) implements Route {
    }

    /** {@code /v2/<name>/referrers/<digest>}. */
    record Referrers(RepositoryName name, Digest digest) implements Route {
    }

    /** {@code /auth/token}: Berth's own token service, outside the {@code /v2/} API. */
    record Token() implements Route {
    }

    /** The route's path with its parameters named, as metrics and logs group requests by. */
    default String template() {
        return switch (this) {
            case Base b -> "/v2/";
            case Catalog c -> "/v2/_catalog";
            case TagList t -> "/v2/{name}/tags/list";
            case Manifest m -> "/v2/{name}/manifests/{reference}";
            case Blob b -> "/v2/{name}/blobs/{digest}";
            case UploadStart u -> "/v2/{name}/blobs/uploads/";
            case Upload u -> "/v2/{name}/blobs/uploads/{uuid}";
            case Referrers r -> "/v2/{name}/referrers/{digest}";
            case Token t -> "/auth/token";
        };
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
        return switch (this) {
            case Base b -> Methods.READ;
            case Catalog c -> Methods.READ;
            case TagList t -> Methods.READ;
            case Manifest m -> Methods.MANIFEST;
            case Blob b -> Methods.BLOB;
            case UploadStart u -> Methods.UPLOAD_START;
            case Upload u -> Methods.UPLOAD;
            case Referrers r -> Methods.READ;
            case Token t -> Methods.READ;
        };
    }

    /** The repository the route acts on, if any. */
    default Optional<RepositoryName> repository() {
        return switch (this) {
            case Base b -> Optional.empty();
            case Catalog c -> Optional.empty();
            case TagList t -> Optional.of(t.name());
            case Manifest m -> Optional.of(m.name());
            case Blob b -> Optional.of(b.name());
            case UploadStart u -> Optional.of(u.name());
            case Upload u -> Optional.of(u.name());
            case Referrers r -> Optional.of(r.name());
            case Token t -> Optional.empty();
        };
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
