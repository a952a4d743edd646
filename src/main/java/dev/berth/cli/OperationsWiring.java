package dev.berth.cli;

import dev.berth.config.Config;
import dev.berth.config.HealthSettings;
import dev.berth.config.HttpSettings;
import dev.berth.config.LogSettings;
import dev.berth.config.NotificationSettings;
import dev.berth.health.FileCheck;
import dev.berth.health.HealthMonitor;
import dev.berth.health.HttpCheck;
import dev.berth.health.Readiness;
import dev.berth.health.StorageProbe;
import dev.berth.health.TcpCheck;
import dev.berth.http.AccessLog;
import dev.berth.http.DebugPage;
import dev.berth.http.DebugServer;
import dev.berth.http.RequestObserver;
import dev.berth.http.ServerOptions;
import dev.berth.metrics.Metrics;
import dev.berth.notify.Endpoint;
import dev.berth.notify.Notifications;
import dev.berth.notify.Source;
import dev.berth.storage.StorageDriver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/** Builds the operations surface from the configuration: logs, health, metrics, and how the server presents itself. */
final class OperationsWiring {

    private OperationsWiring() {
    }

    /** Metrics, when {@code http.debug.prometheus} turns them on. */
    static Optional<Metrics> metrics(Config config) {
        return config.http().debug().flatMap(HttpSettings.Debug::metricsPath).map(path -> new Metrics());
    }

    /** The configured {@code health} checks, started. */
    static HealthMonitor health(Config config, StorageDriver storage) {
        HealthSettings health = config.health();
        List<HealthMonitor.Scheduled> checks = new ArrayList<>();
        health.storageDriver().ifPresent(s -> checks.add(scheduled(probe(config, storage), s)));
        health.files().forEach(f -> checks.add(scheduled(new FileCheck(f.file()), f.schedule())));
        health.http().forEach(h -> checks.add(scheduled(new HttpCheck(h.uri(), h.headers(), h.status(), h.timeout()),
                h.schedule())));
        health.tcp().forEach(t -> checks.add(scheduled(new TcpCheck(t.address(), t.timeout()), t.schedule())));
        return new HealthMonitor(checks);
    }

    private static HealthMonitor.Scheduled scheduled(dev.berth.health.HealthCheck check, HealthSettings.Schedule s) {
        return new HealthMonitor.Scheduled(check, s.interval(), s.threshold());
    }

    /** Notifications, when {@code notifications.endpoints} names any that are not disabled. */
    static Optional<Notifications> notifications(Config config) {
        List<NotificationSettings.Endpoint> endpoints = config.notifications().endpoints();
        if (endpoints.isEmpty()) {
            return Optional.empty();
        }
        Source source = Source.of(hostName() + ":" + config.address().port());
        List<String> names = endpointNames(endpoints);
        return Optional.of(new Notifications(IntStream.range(0, endpoints.size()).mapToObj(i -> {
            NotificationSettings.Endpoint e = endpoints.get(i);
            return new Endpoint(new Endpoint.Settings(names.get(i), e.url(), e.headers(), e.timeout(), e.threshold(),
                    e.backoff(), e.ignoredMediaTypes(), e.ignoredActions()), source);
        }).toList(), config.notifications().includeReferences(), Clock.systemUTC()));
    }

    /**
     * Names that tell the endpoints apart in logs and metrics: as written, or the URL's host when none is; one
     * shared by several gets its place in the list ({@code hook #2}), since a metric cannot show two alike.
     */
    static List<String> endpointNames(List<NotificationSettings.Endpoint> endpoints) {
        List<String> written = endpoints.stream()
                .map(e -> e.name().isEmpty() ? e.url().getHost() : e.name()).toList();
        Set<String> taken = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            String name = Collections.frequency(written, written.get(i)) > 1 ? written.get(i) + " #" + (i + 1)
                    : written.get(i);
            while (!taken.add(name)) {
                name += "#"; // a written name that looks like one made here
            }
            names.add(name);
        }
        return names;
    }

    /** This machine's name, as events name their source (distribution takes the kernel's host name too). */
    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException unknown) {
                return "localhost";
            }
        }
    }

    static ServerOptions serverOptions(Config config, StorageDriver storage, HealthMonitor health,
                                       Optional<Metrics> metrics, Optional<Notifications> notifications) {
        HttpSettings http = config.http();
        List<RequestObserver> observers = new ArrayList<>();
        if (config.log().accessLog()) {
            observers.add(new AccessLog(config.log().format() != LogSettings.Format.TEXT));
        }
        metrics.ifPresent(m -> observers.add(r -> m.request(r.method(), r.route(), r.status(), r.bytesIn(),
                r.bytesOut(), r.duration())));
        notifications.ifPresent(observers::add);
        return new ServerOptions(http.prefix(), http.host(), http.relativeUrls(), http.drainTimeout(),
                http.headers(), observers, Optional.of(health),
                Optional.of(new Readiness(probe(config, storage))));
    }

    /** A read-only registry, perhaps on a read-only volume, is healthy and ready when it can read. */
    private static StorageProbe probe(Config config, StorageDriver storage) {
        // the driver's name in health reports: storagedriver_s3, as distribution names the check
        return new StorageProbe(storage, config.s3().isPresent() ? "s3" : "filesystem", !config.readOnly());
    }

    /** The debug server on {@code http.debug.addr}, when configured. */
    static Optional<DebugServer> debugServer(Config config, HealthMonitor health, Optional<Metrics> metrics) {
        return config.http().debug().map(debug -> new DebugServer(
                debug.address().socketAddress(), health,
                metrics.map(m -> page(m, debug.metricsPath().orElseThrow()))));
    }

    private static DebugPage page(Metrics metrics, String path) {
        return new DebugPage() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public String contentType() {
                return metrics.contentType();
            }

            @Override
            public void write(OutputStream out) throws IOException {
                metrics.write(out);
            }
        };
    }
}
