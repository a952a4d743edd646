package dev.berth.http;

import java.time.Duration;
import java.util.Optional;

/**
 * What one request did, once its response is complete: the access log's line and the metrics' sample. Holds no
 * header, query or credential, so nothing secret can leak through it.
 *
 * @param route      the route's template, like {@code /v2/{name}/blobs/{digest}}, or {@link #UNMATCHED}
 * @param repository the repository named in the path, when the route has one
 * @param user       who was authenticated, if anyone
 * @param bytesIn    request body bytes read
 * @param bytesOut   response body bytes written
 */
public record RequestRecord(String method, String route, Optional<String> repository, int status, long bytesIn,
                            long bytesOut, Duration duration, Optional<String> user, String remoteAddress) {

    /** The route of a path that is no endpoint, or whose name, tag or digest is invalid. */
    public static final String UNMATCHED = "unmatched";
}
