package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.berth.auth.OpenAccess;
import dev.berth.config.Config;
import dev.berth.config.ConfigException;
import dev.berth.config.ConfigLoader;
import dev.berth.config.LoadedConfig;
import dev.berth.gc.BackgroundCollection;
import dev.berth.gc.Periodically;
import dev.berth.http.AdminHandler;
import dev.berth.http.RegistryHandler;
import dev.berth.http.RegistryServer;
import dev.berth.registry.Registry;
import dev.berth.storage.StorageDriver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth serve [config.yml]}: runs the registry until it is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the registry. Without a configuration file: port 5000, storage in ./data.")
final class ServeCommand implements Callable<Integer> {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "distribution's config.yml; REGISTRY_* environment variables override its keys")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        Config config;
        try {
            LoadedConfig loaded = new ConfigLoader(Path.of("data"))
                    .load(configPath(), System.getenv());
            config = loaded.config();
            setLogLevel(config.logLevel());
            loaded.warnings().forEach(LOG::warn);
        } catch (ConfigException e) {
            System.err.println("berth: invalid configuration: " + e.getMessage());
            return 1;
        }
        StorageDriver storage = Wiring.storage(config);
        Registry registry = Wiring.registry(config, storage, Clock.systemUTC());
        BackgroundCollection collection = MaintenanceWiring.collection(config, storage, registry);
        List<Periodically> schedules = MaintenanceWiring.schedules(config, storage, registry, collection);
        String host = config.host().isEmpty() ? "0.0.0.0" : config.host();
        RegistryServer server = new RegistryServer(new InetSocketAddress(host, config.port()),
                new AdminHandler(new RegistryHandler(registry, new OpenAccess()), registry, collection));
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            try {
                server.close();
                for (Periodically schedule : schedules) {
                    schedule.close();
                }
            } catch (Exception e) {
                LOG.warn("stopping the server failed", e);
            }
        }));
        server.start();
        schedules.forEach(Periodically::start);
        LOG.info("berth {} listening on {}:{}, storage in {}", Version.current(), host, server.port(),
                config.rootDirectory().toAbsolutePath());
        server.join();
        return 0;
    }

    private Optional<Path> configPath() {
        return Optional.ofNullable(configFile)
                .or(() -> Optional.ofNullable(System.getenv(ConfigLoader.CONFIG_PATH_VARIABLE)).map(Path::of));
    }

    private static void setLogLevel(String level) {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.toLevel(level));
    }
}
