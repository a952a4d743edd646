package dev.berth.api;

import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.UploadId;

/**
 * Turns a request path into a {@link Route}. Repository names contain slashes, so the endpoint is decided by
 * the path's tail; the name is what precedes it, checked against the grammar before anything else sees it.
 */
public final class RouteParser {

    /** Where Berth's token service answers, and what a token realm defaults to. */
    public static final String TOKEN_PATH = "/auth/token";

    private static final String API = "/v2/";

    private RouteParser() {
    }

    /**
     * @throws ApiException with {@link ErrorCode#NOT_FOUND} for a path outside the API
     * @throws dev.berth.oci.InvalidValueException for a name, tag, digest or upload id outside its grammar
     */
    public static Route parse(String path) {
        if (path.equals("/v2") || path.equals("/v2/")) {
            return new Route.Base();
        }
        if (path.equals("/v2/_catalog")) {
            return new Route.Catalog();
        }
        if (path.equals(TOKEN_PATH) || path.equals(TOKEN_PATH + "/")) {
            return new Route.Token();
        }
        if (!path.startsWith(API)) {
            throw notFound(path);
        }
        String name;
        if ((name = nameBefore(path, path.length(), "/tags/list")) != null) {
            return new Route.TagList(RepositoryName.parse(name));
        }
        // the other endpoints but the upload start end in a parameter: the path's last segment, not empty
        int slash = path.lastIndexOf('/');
        String parameter = path.substring(slash + 1);
        if (!parameter.isEmpty() && (name = nameBefore(path, slash, "/manifests")) != null) {
            return new Route.Manifest(RepositoryName.parse(name), Reference.parse(parameter));
        }
        if ((name = nameBefore(path, path.length(), "/blobs/uploads")) != null
                || (name = nameBefore(path, path.length(), "/blobs/uploads/")) != null) {
            return new Route.UploadStart(RepositoryName.parse(name));
        }
        if (parameter.isEmpty()) {
            throw notFound(path);
        }
        if ((name = nameBefore(path, slash, "/blobs/uploads")) != null) {
            return new Route.Upload(RepositoryName.parse(name), new UploadId(parameter));
        }
        if ((name = nameBefore(path, slash, "/blobs")) != null) {
            return new Route.Blob(RepositoryName.parse(name), Digest.parse(parameter));
        }
        if ((name = nameBefore(path, slash, "/referrers")) != null) {
            return new Route.Referrers(RepositoryName.parse(name), Digest.parse(parameter));
        }
        throw notFound(path);
    }

    /**
     * The name in {@code /v2/<name><endpoint>} when {@code path} up to {@code end} has that form, else null. The
     * endpoint is the one at the end: its words may be components of the name too ({@code /v2/a/blobs/tags/list}).
     */
    private static String nameBefore(String path, int end, String endpoint) {
        int nameEnd = end - endpoint.length();
        if (nameEnd <= API.length() || !path.startsWith(endpoint, nameEnd)) {
            return null;
        }
        return path.substring(API.length(), nameEnd);
    }

    private static ApiException notFound(String path) {
        return new ApiException(ErrorCode.NOT_FOUND, "no endpoint at " + path);
    }
}
