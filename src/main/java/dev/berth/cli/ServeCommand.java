package dev.berth.cli;

import dev.berth.auth.AccessController;
import dev.berth.config.Config;
import dev.berth.config.ConfigException;
import dev.berth.config.ConfigLoader;
import dev.berth.config.LoadedConfig;
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
import dev.berth.registry.Registry;
import dev.berth.storage.CachingStorageDriver;
import dev.berth.storage.StorageDriver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth serve [config.yml]}: runs the registry until it is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the registry. Without a configuration file: port 5000, storage in ./data.",
                "SIGTERM or SIGINT stop it gracefully: requests in progress get http.draintimeout to finish."})
final class ServeCommand implements Callable<Integer> {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    /** Where blobs go when the configuration names no storage, as {@code ./berth serve} promises. */
    static final Path DEFAULT_ROOT = Path.of("data");

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "distribution's config.yml; REGISTRY_* environment variables override its keys")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        Config config;
        RegistryHandler handler;
        Optional<Metrics> metrics;
        StorageDriver storage;
        Registry registry;
        Optional<TlsOptions> tls;
        try {
            LoadedConfig loaded = new ConfigLoader(DEFAULT_ROOT)
                    .load(configPath(Optional.ofNullable(configFile)), System.getenv());
            config = loaded.config();
            Logging.configure(config.logLevel(), config.log());
            loaded.warnings().forEach(LOG::warn);
            metrics = OperationsWiring.metrics(config);
            storage = CachingStorageDriver.forLinks(metrics
                    .<StorageDriver>map(m -> new MeteredStorageDriver(Wiring.storage(config), m))
                    .orElseGet(() -> Wiring.storage(config)));
            registry = Wiring.registry(config, storage, Clock.systemUTC());
            Config loadedConfig = config;
            Optional<Metrics> meters = metrics;
            handler = Wiring.handler(registry, config, Clock.systemUTC(),
                    access -> decorate(access, loadedConfig, meters));
            tls = TlsWiring.options(config, Clock.systemUTC());
        } catch (ConfigException e) {
            System.err.println("berth: invalid configuration: " + e.getMessage());
            return 1;
        }
        BackgroundCollection collection = MaintenanceWiring.collection(config, storage, registry, metrics);
        List<Periodically> schedules = MaintenanceWiring.schedules(config, storage, registry, collection);
        HealthMonitor health = OperationsWiring.health(config, storage);
        RegistryServer server = new RegistryServer(socketAddress(config.host(), config.port()),
                new AdminHandler(handler, registry, collection),
                OperationsWiring.serverOptions(config, storage, health, metrics), tls);
        metrics.ifPresent(m -> m.uploadsInProgress(server::uploadsInProgress));
        Optional<DebugServer> debug = OperationsWiring.debugServer(config, health, metrics);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (!stopping.getAndSet(true)) {
                stop(server, debug, health, schedules);
            }
        };
        Signals.onTermination(stop);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(stop));
        server.start();
        schedules.forEach(Periodically::start);
        for (DebugServer d : debug.stream().toList()) {
            d.start();
            LOG.info("debug server listening on port {}", d.port());
        }
        LOG.info("berth {} listening on {}:{}{}, storage in {}", Version.current(),
                config.host().isEmpty() ? "0.0.0.0" : config.host(), server.port(), config.http().prefix(),
                config.rootDirectory().toAbsolutePath());
        server.join();
        LOG.info("berth stopped");
        return 0;
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

    private static void stop(RegistryServer server, Optional<DebugServer> debug, HealthMonitor health,
                             List<Periodically> schedules) {
        try {
            long uploads = server.uploadsInProgress();
            LOG.info("stopping: no new connections; {} upload(s) in progress get up to http.draintimeout", uploads);
            server.close();
            for (DebugServer d : debug.stream().toList()) {
                d.close();
            }
            health.close();
            for (Periodically schedule : schedules) {
                schedule.close();
            }
        } catch (Exception e) {
            LOG.warn("stopping the server failed", e);
        }
    }

    static InetSocketAddress socketAddress(String host, int port) {
        return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port);
    }

    /** The file named on the command line, else the one {@code REGISTRY_CONFIGURATION_PATH} names, if any. */
    static Optional<Path> configPath(Optional<Path> configFile) {
        return configFile
                .or(() -> Optional.ofNullable(System.getenv(ConfigLoader.CONFIG_PATH_VARIABLE)).map(Path::of));
    }
}
