package dev.berth.api;

import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.UploadId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a request path into a {@link Route}. Repository names contain slashes, so the endpoint is decided by
 * the path's tail; the name is what precedes it, checked against the grammar before anything else sees it.
 */
public final class RouteParser {

    /** Where Berth's token service answers, and what a token realm defaults to. */
    public static final String TOKEN_PATH = "/auth/token";

    private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Pattern UPLOAD_START = Pattern.compile("/v2/(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)");
    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
    private static final Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");

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
        Matcher m;
        if ((m = TAGS.matcher(path)).matches()) {
            return new Route.TagList(RepositoryName.parse(m.group(1)));
        }
        if ((m = MANIFEST.matcher(path)).matches()) {
            return new Route.Manifest(RepositoryName.parse(m.group(1)), Reference.parse(m.group(2)));
        }
        if ((m = UPLOAD_START.matcher(path)).matches()) {
            return new Route.UploadStart(RepositoryName.parse(m.group(1)));
        }
        if ((m = UPLOAD.matcher(path)).matches()) {
            return new Route.Upload(RepositoryName.parse(m.group(1)), new UploadId(m.group(2)));
        }
        if ((m = BLOB.matcher(path)).matches()) {
            return new Route.Blob(RepositoryName.parse(m.group(1)), Digest.parse(m.group(2)));
        }
        if ((m = REFERRERS.matcher(path)).matches()) {
            return new Route.Referrers(RepositoryName.parse(m.group(1)), Digest.parse(m.group(2)));
        }
        throw new ApiException(ErrorCode.NOT_FOUND, "no endpoint at " + path);
    }
}
