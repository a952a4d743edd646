package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * distribution's {@code notifications} section: the endpoints that are sent an event for every push, pull, mount
 * and delete. Endpoints written with {@code disabled: true} are left out.
 *
 * @param includeReferences {@code events.includereferences}: manifest events list what the manifest references
 */
public record NotificationSettings(List<Endpoint> endpoints, boolean includeReferences) {

    static final Set<String> KEYS = Set.of("notifications.endpoints", "notifications.events.includereferences");
    /** distribution's defaults for a timeout, threshold or backoff left out or not positive. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    private static final int DEFAULT_THRESHOLD = 10;
    private static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);

    public NotificationSettings {
        endpoints = List.copyOf(endpoints);
    }

    /**
     * One endpoint.
     *
     * @param headers           sent with every request, as written
     * @param timeout           how long one request may take
     * @param threshold         failures in a row after which sending waits {@code backoff} between attempts
     * @param ignoredMediaTypes events whose target has one of these media types are not sent here
     * @param ignoredActions    events with one of these actions ({@code push}, {@code pull}, ...) are not sent here
     */
    public record Endpoint(String name, URI url, Map<String, List<String>> headers, Duration timeout, int threshold,
                           Duration backoff, Set<String> ignoredMediaTypes, Set<String> ignoredActions) {
        public Endpoint {
            headers = Map.copyOf(headers);
            ignoredMediaTypes = Set.copyOf(ignoredMediaTypes);
            ignoredActions = Set.copyOf(ignoredActions);
        }
    }

    static NotificationSettings read(JsonNode tree) {
        return new NotificationSettings(ConfigTree.list(tree, "notifications.endpoints",
                        key -> ConfigTree.bool(tree, key + ".disabled").orElse(false) ? Optional.<Endpoint>empty()
                                : Optional.of(endpoint(tree, key)))
                .stream().flatMap(Optional::stream).toList(),
                ConfigTree.bool(tree, "notifications.events.includereferences").orElse(false));
    }

    private static Endpoint endpoint(JsonNode tree, String key) {
        int threshold = ConfigTree.integer(tree, key + ".threshold", Integer.MIN_VALUE).orElse(0);
        return new Endpoint(ConfigTree.text(tree, key + ".name").orElse(""), ConfigTree.httpUrl(tree, key + ".url"),
                ConfigTree.multimap(tree, key + ".headers"),
                positive(ConfigTree.duration(tree, key + ".timeout").orElse(Duration.ZERO), DEFAULT_TIMEOUT),
                threshold > 0 ? threshold : DEFAULT_THRESHOLD,
                positive(ConfigTree.duration(tree, key + ".backoff").orElse(Duration.ZERO), DEFAULT_BACKOFF),
                Set.copyOf(Stream.concat(ConfigTree.strings(tree, key + ".ignoredmediatypes").stream(),
                        ConfigTree.strings(tree, key + ".ignore.mediatypes").stream()).toList()),
                Set.copyOf(ConfigTree.strings(tree, key + ".ignore.actions")));
    }

    private static Duration positive(Duration written, Duration otherwise) {
        return written.isZero() || written.isNegative() ? otherwise : written;
    }
}
