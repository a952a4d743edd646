package dev.berth.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one request did, once its response is complete: the access log's line, the metrics' sample, the
 * notifications' events. Holds no query, credential or header but the host and user agent, so nothing secret can
 * leak through it.
 *
 * @param route      the route's template, like {@code /v2/{name}/blobs/{digest}}, or {@link #UNMATCHED}
 * @param repository the repository named in the path, when the route has one
 * @param user       who was authenticated, if anyone
 * @param bytesIn    request body bytes read
 * @param bytesOut   response body bytes written
 * @param remotePort the client's port, unless the request came through a proxy that named the client
 * @param host       the host (and port) the client sent, or empty
 * @param userAgent  the client's {@code User-Agent}, or empty
 * @param events     what the request did to content, in order
 */
public record RequestRecord(String method, String route, Optional<String> repository, int status, long bytesIn,
                            long bytesOut, Duration duration, Optional<String> user, String remoteAddress,
                            OptionalInt remotePort, String host, String userAgent, List<ContentEvent> events) {

    /** The route of a path that is no endpoint, or whose name, tag or digest is invalid. */
    public static final String UNMATCHED = "unmatched";

    public RequestRecord {
        events = List.copyOf(events);
    }
}
