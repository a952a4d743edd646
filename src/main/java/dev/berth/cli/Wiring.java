package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.berth.config.Config;
import dev.berth.config.ConfigLoader;
import dev.berth.config.LoadedConfig;
import dev.berth.config.UploadPurging;
import dev.berth.gc.BackgroundCollection;
import dev.berth.gc.GarbageCollector;
import dev.berth.gc.GcOptions;
import dev.berth.gc.Periodically;
import dev.berth.gc.UploadPurge;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/** What every command builds the same way: the configuration, the storage and the registry over it. */
final class Wiring {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(Wiring.class);
    private static final Duration PURGE_DELAY = Duration.ofMinutes(1);

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

    /** Garbage collection inside the server, with {@code berth.gc}'s policy. */
    static BackgroundCollection collection(Config config, StorageDriver storage, Registry registry) {
        return new BackgroundCollection(new GarbageCollector(storage, registry),
                new GcOptions(false, config.gc().deleteUntagged(), config.gc().grace()));
    }

    /** The maintenance the server schedules: upload purging and garbage collection, as configured. */
    static List<Periodically> maintenance(Config config, StorageDriver storage, Registry registry,
                                          BackgroundCollection collection) {
        List<Periodically> tasks = new ArrayList<>();
        UploadPurging purging = config.uploadPurging();
        if (purging.enabled()) {
            UploadPurge purge = new UploadPurge(storage, registry, Clock.systemUTC());
            // first soon after start, as distribution does, so that restarts do not postpone it forever
            tasks.add(new Periodically("upload purging", PURGE_DELAY, purging.interval(),
                    () -> purge.purge(purging.age(), purging.dryRun())));
        }
        config.gc().interval().ifPresent(interval ->
                tasks.add(new Periodically("garbage collection", interval, interval, collection::collect)));
        return tasks;
    }

    static Registry registry(Config config, StorageDriver storage) {
        return Registry.over(storage, config.deleteEnabled(),
                new ManifestRules(config.allowUrls().stream().map(Pattern::compile).toList(),
                        config.denyUrls().stream().map(Pattern::compile).toList()),
                Clock.systemUTC());
    }
}
