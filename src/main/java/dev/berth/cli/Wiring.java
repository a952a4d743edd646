package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.berth.config.Config;
import dev.berth.config.ConfigLoader;
import dev.berth.config.LoadedConfig;
import dev.berth.gc.BackgroundCollection;
import dev.berth.gc.GarbageCollector;
import dev.berth.gc.GcOptions;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/** What every command builds the same way: the configuration, the storage and the registry over it. */
final class Wiring {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(Wiring.class);

    private Wiring() {
    }

    /**
     * Loads {@code file}, or the one {@code REGISTRY_CONFIGURATION_PATH} names, with {@code REGISTRY_*} overrides;
     * sets the log level and logs the warnings. {@link dev.berth.config.ConfigException} when it is unusable.
     */
    static Config config(Optional<Path> file) {
        LoadedConfig loaded = new ConfigLoader(Path.of("data")).load(
                file.or(() -> Optional.ofNullable(System.getenv(ConfigLoader.CONFIG_PATH_VARIABLE)).map(Path::of)),
                System.getenv());
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.toLevel(loaded.config().logLevel()));
        loaded.warnings().forEach(LOG::warn);
        return loaded.config();
    }

    static StorageDriver storage(Config config) {
        return new FilesystemDriver(config.rootDirectory());
    }

    /** The collection {@code berth.gc} schedules, if it schedules one. */
    static Optional<BackgroundCollection> backgroundCollection(Config config, StorageDriver storage,
                                                                Registry registry) {
        return config.gc().interval().map(interval -> new BackgroundCollection(
                new GarbageCollector(storage, registry),
                new GcOptions(false, config.gc().deleteUntagged(), config.gc().grace()), interval));
    }

    static Registry registry(Config config, StorageDriver storage) {
        return Registry.over(storage, config.deleteEnabled(),
                new ManifestRules(config.allowUrls().stream().map(Pattern::compile).toList(),
                        config.denyUrls().stream().map(Pattern::compile).toList()),
                Clock.systemUTC());
    }
}
