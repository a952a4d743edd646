package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * distribution's {@code health} section: periodic checks whose results {@code /debug/health} reports and which,
 * while one fails, make the registry answer 503.
 */
public record HealthSettings(Optional<Schedule> storageDriver, List<FileCheck> files, List<HttpCheck> http,
                             List<TcpCheck> tcp) {

    static final Set<String> KEYS = Set.of("health.storagedriver.enabled", "health.storagedriver.interval",
            "health.storagedriver.threshold", "health.file", "health.http", "health.tcp");
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    public HealthSettings {
        files = List.copyOf(files);
        http = List.copyOf(http);
        tcp = List.copyOf(tcp);
    }

    /** How often a check runs, and how many failures in a row make it unhealthy. */
    public record Schedule(Duration interval, int threshold) {
        public Schedule {
            if (interval.isZero() || interval.isNegative() || threshold < 1) {
                throw new IllegalArgumentException("a check needs a positive interval and threshold");
            }
        }
    }

    /** {@code health.file[]}: unhealthy while the file exists (to take a registry out of rotation). */
    public record FileCheck(Path file, Schedule schedule) {
    }

    /** {@code health.http[]}: a HEAD request that must answer {@code status}. */
    public record HttpCheck(URI uri, Map<String, List<String>> headers, int status, Duration timeout,
                            Schedule schedule) {
        public HttpCheck {
            headers = Map.copyOf(headers);
        }
    }

    /** {@code health.tcp[]}: a TCP connection that must open. */
    public record TcpCheck(String address, Duration timeout, Schedule schedule) {
    }

    static HealthSettings read(JsonNode tree) {
        Optional<Schedule> storage = ConfigTree.bool(tree, "health.storagedriver.enabled").orElse(false)
                ? Optional.of(schedule(tree, "health.storagedriver")) : Optional.empty();
        return new HealthSettings(storage,
                ConfigTree.list(tree, "health.file", key -> new FileCheck(
                        Path.of(ConfigTree.required(tree, key + ".file")), schedule(tree, key))),
                ConfigTree.list(tree, "health.http", key -> new HttpCheck(ConfigTree.httpUrl(tree, key + ".uri"),
                        ConfigTree.multimap(tree, key + ".headers"),
                        ConfigTree.integer(tree, key + ".statuscode", 100).orElse(200),
                        ConfigTree.duration(tree, key + ".timeout").orElse(DEFAULT_TIMEOUT), schedule(tree, key))),
                ConfigTree.list(tree, "health.tcp", key -> new TcpCheck(ConfigTree.required(tree, key + ".addr"),
                        ConfigTree.duration(tree, key + ".timeout").orElse(DEFAULT_TIMEOUT), schedule(tree, key))));
    }

    private static Schedule schedule(JsonNode tree, String key) {
        Duration interval = ConfigTree.duration(tree, key + ".interval").orElse(DEFAULT_INTERVAL);
        if (interval.isZero()) {
            throw new ConfigException(key + ".interval", "must be more than 0");
        }
        return new Schedule(interval, ConfigTree.integer(tree, key + ".threshold", 1).orElse(1));
    }
}
