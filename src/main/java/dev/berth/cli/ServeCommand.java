package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.berth.auth.AccessController;
import dev.berth.config.Config;
import dev.berth.config.ConfigException;
import dev.berth.config.ConfigLoader;
import dev.berth.config.LoadedConfig;
import dev.berth.http.RegistryHandler;
import dev.berth.http.RegistryServer;
import dev.berth.registry.Registry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
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
    /** Where blobs go when the configuration names no storage, as {@code ./berth serve} promises. */
    static final Path DEFAULT_ROOT = Path.of("data");

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "distribution's config.yml; REGISTRY_* environment variables override its keys")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        Config config;
        Registry registry;
        AccessController accessController;
        try {
            LoadedConfig loaded = new ConfigLoader(DEFAULT_ROOT)
                    .load(configPath(Optional.ofNullable(configFile)), System.getenv());
            config = loaded.config();
            setLogLevel(config.logLevel());
            loaded.warnings().forEach(LOG::warn);
            registry = Wiring.registry(config, Clock.systemUTC());
            accessController = Wiring.accessController(config, Clock.systemUTC());
        } catch (ConfigException e) {
            System.err.println("berth: invalid configuration: " + e.getMessage());
            return 1;
        }
        String host = config.host().isEmpty() ? "0.0.0.0" : config.host();
        RegistryServer server = new RegistryServer(new InetSocketAddress(host, config.port()),
                new RegistryHandler(registry, accessController));
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            try {
                server.close();
            } catch (Exception e) {
                LOG.warn("stopping the server failed", e);
            }
        }));
        server.start();
        LOG.info("berth {} listening on {}:{}, storage in {}", Version.current(), host, server.port(),
                config.rootDirectory().toAbsolutePath());
        server.join();
        return 0;
    }

    /** The file named on the command line, else the one {@code REGISTRY_CONFIGURATION_PATH} names, if any. */
    static Optional<Path> configPath(Optional<Path> configFile) {
        return configFile
                .or(() -> Optional.ofNullable(System.getenv(ConfigLoader.CONFIG_PATH_VARIABLE)).map(Path::of));
    }

    private static void setLogLevel(String level) {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.toLevel(level));
    }
}
