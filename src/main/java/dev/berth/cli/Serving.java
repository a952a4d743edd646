package dev.berth.cli;

import dev.berth.auth.AccessController;
import dev.berth.config.Config;
import dev.berth.gc.BackgroundCollection;
import dev.berth.gc.Periodically;
import dev.berth.health.HealthMonitor;
import dev.berth.http.AdminHandler;
import dev.berth.http.DebugServer;
import dev.berth.http.ReadOnlyAccess;
import dev.berth.http.RegistryHandler;
import dev.berth.http.RegistryServer;
import dev.berth.http.TlsOptions;
import dev.berth.metrics.MeteredAccessController;
import dev.berth.metrics.MeteredStorageDriver;
import dev.berth.metrics.Metrics;
import dev.berth.notify.Notifications;
import dev.berth.registry.Registry;
import dev.berth.storage.CachingStorageDriver;
import dev.berth.storage.StorageDriver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code berth serve} runs, built from the configuration: the registry server, the debug server,
 * notifications, health checks and maintenance schedules. The start-up cache's training run builds the same, so
 * that what it caches is what serving loads.
 */
final class Serving {

    private static final Logger LOG = LoggerFactory.getLogger(Serving.class);

    /** How long events still waiting when the server stops get to reach their endpoints. */
    private static final Duration NOTIFICATIONS_FLUSH = Duration.ofSeconds(5);

    private final RegistryServer server;
    private final Optional<DebugServer> debug;
    private final Optional<Notifications> notifications;
    private final HealthMonitor health;
    private final List<Periodically> schedules;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** How long a second caller of {@link #stop} waits for the first: beyond the drain and the flush. */
    private final Duration stopWait;

    private Serving(RegistryServer server, Optional<DebugServer> debug, Optional<Notifications> notifications,
                    HealthMonitor health, List<Periodically> schedules, Duration drainTimeout) {
        this.stopWait = drainTimeout.plus(NOTIFICATIONS_FLUSH).plusSeconds(30);
        this.server = server;
        this.debug = debug;
        this.notifications = notifications;
        this.health = health;
        this.schedules = schedules;
    }

    /** Builds, without starting anything. {@link dev.berth.config.ConfigException} when a setting is unusable. */
    static Serving assemble(Config config) {
        Optional<Metrics> metrics = OperationsWiring.metrics(config);
        StorageDriver storage = CachingStorageDriver.forLinks(metrics
                .<StorageDriver>map(m -> new MeteredStorageDriver(Wiring.storage(config), m))
                .orElseGet(() -> Wiring.storage(config)));
        Registry registry = Wiring.registry(config, storage, Clock.systemUTC());
        RegistryHandler handler = Wiring.handler(registry, config, Clock.systemUTC(),
                access -> decorate(access, config, metrics));
        Optional<TlsOptions> tls = TlsWiring.options(config, Clock.systemUTC());
        BackgroundCollection collection = MaintenanceWiring.collection(config, storage, registry, metrics);
        List<Periodically> schedules = MaintenanceWiring.schedules(config, storage, registry, collection);
        HealthMonitor health = OperationsWiring.health(config, storage);
        Optional<Notifications> notifications = OperationsWiring.notifications(config);
        RegistryServer server = new RegistryServer(config.address().socketAddress(),
                new AdminHandler(handler, registry, collection),
                OperationsWiring.serverOptions(config, storage, health, metrics, notifications), tls);
        metrics.ifPresent(m -> m.uploadsInProgress(server::uploadsInProgress));
        metrics.ifPresent(m -> notifications.ifPresent(n -> m.notifications(() -> n.endpoints().stream()
                .map(e -> new Metrics.NotificationCounts(e.name(), e.pending(), e.sent(), e.failures(), e.dropped()))
                .toList())));
        return new Serving(server, OperationsWiring.debugServer(config, health, metrics), notifications, health,
                schedules, config.http().drainTimeout());
    }

    /** The optional features that watch or restrict every request's access decision. */
    private static AccessController decorate(AccessController access, Config config, Optional<Metrics> metrics) {
        AccessController decorated = metrics.<AccessController>map(m -> new MeteredAccessController(access, m))
                .orElse(access);
        if (config.readOnly()) {
            LOG.warn("read-only mode (storage.maintenance.readonly): pushes and deletes are refused");
            return new ReadOnlyAccess(decorated);
        }
        return decorated;
    }

    void start() throws Exception {
        server.start();
        schedules.forEach(Periodically::start);
        for (DebugServer d : debug.stream().toList()) {
            d.start();
            LOG.info("debug server listening on port {}", d.port());
        }
    }

    RegistryServer server() {
        return server;
    }

    /**
     * Stops taking connections, gives uploads in progress {@code http.draintimeout}, then stops the rest; once.
     * Later callers ({@code main}, which the server's end released, and the exit's hook) wait for the first to
     * finish: the JVM halts once {@code main} has ended and the hooks have returned, and would cut off the drain
     * and the events still waiting to be sent.
     */
    void stop() {
        if (stopping.getAndSet(true)) {
            try {
                stopped.await(stopWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            // a server that never came to listen (its port taken) has nothing to drain, and says so once, elsewhere
            if (server.port() > 0) {
                LOG.info("stopping: no new connections; {} upload(s) in progress get up to http.draintimeout",
                        server.uploadsInProgress());
            }
            server.close();
            notifications.ifPresent(n -> n.close(NOTIFICATIONS_FLUSH));
            for (DebugServer d : debug.stream().toList()) {
                d.close();
            }
            health.close();
            for (Periodically schedule : schedules) {
                schedule.close();
            }
        } catch (Exception e) {
            LOG.warn("stopping the server failed", e);
        } finally {
            stopped.countDown();
        }
    }
}
