package dev.berth.http;

import dev.berth.health.HealthMonitor;
import dev.berth.health.Readiness;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the server presents the registry: where it is mounted, the URLs it hands out, the headers it adds, how
 * long a stop waits, who is told of each request, and the health it reports.
 *
 * @param prefix       the path the API is served under ({@code /registry}), empty for the root
 * @param publicHost   the scheme and authority of URLs handed out, instead of those the client used
 * @param relativeUrls Location headers without scheme and host
 * @param drainTimeout how long a stop waits for requests in progress
 * @param headers      added to every response
 * @param observers    told of every registry request once it is complete
 * @param health       periodic checks; while one fails, registry requests get 503
 * @param readiness    what {@code /readyz} reports; without it, ready whenever live
 */
public record ServerOptions(String prefix, Optional<URI> publicHost, boolean relativeUrls, Duration drainTimeout,
                            Map<String, List<String>> headers, List<RequestObserver> observers,
                            Optional<HealthMonitor> health, Optional<Readiness> readiness) {

    public ServerOptions {
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("a prefix starts with / and does not end with it: " + prefix);
        }
        headers = Map.copyOf(headers);
        observers = List.copyOf(observers);
    }

    /** The root path, URLs as the client addressed the server, nothing added, a 5 s drain. */
    public static ServerOptions defaults() {
        return new ServerOptions("", Optional.empty(), false, Duration.ofSeconds(5), Map.of(), List.of(),
                Optional.empty(), Optional.empty());
    }
}
