package dev.berth.cli;

import dev.berth.config.Config;
import dev.berth.config.ConfigLoader;
import dev.berth.config.LoadedConfig;
import dev.berth.config.UploadPurging;
import dev.berth.gc.BackgroundCollection;
import dev.berth.gc.GarbageCollector;
import dev.berth.gc.GcOptions;
import dev.berth.gc.Periodically;
import dev.berth.gc.UploadPurge;
import dev.berth.metrics.Metrics;
import dev.berth.registry.Registry;
import dev.berth.storage.StorageDriver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/** Garbage collection and upload purging: for the server's schedules and the administration commands. */
final class MaintenanceWiring {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(MaintenanceWiring.class);
    /** The first purge comes soon after start, as in distribution, so that restarts cannot postpone it forever. */
    private static final Duration PURGE_DELAY = Duration.ofMinutes(1);

    private MaintenanceWiring() {
    }

    /**
     * For the commands that work on the storage directly: loads {@code file}, or the one
     * {@code REGISTRY_CONFIGURATION_PATH} names, with {@code REGISTRY_*} overrides; sets the log level and logs
     * the warnings. {@link dev.berth.config.ConfigException} when it is unusable.
     */
    static Config config(Optional<Path> file) {
        LoadedConfig loaded = new ConfigLoader(ServeCommand.DEFAULT_ROOT).load(file, System.getenv());
        Logging.configure(loaded.config().logLevel(), loaded.config().log());
        loaded.warnings().forEach(LOG::warn);
        return loaded.config();
    }

    /** Garbage collection inside the server, with {@code berth.gc}'s policy. */
    static BackgroundCollection collection(Config config, StorageDriver storage, Registry registry,
                                           Optional<Metrics> metrics) {
        return new BackgroundCollection(new GarbageCollector(storage, registry),
                new GcOptions(false, config.gc().deleteUntagged(), config.gc().grace()),
                report -> metrics.ifPresent(m -> m.collection(report.blobsDeleted(), report.bytesFreed(),
                        report.manifestsDeleted(), report.duration())));
    }

    /**
     * What the server does on schedules: upload purging and garbage collection, as configured; nothing in
     * read-only mode, which is there so that a collection run outside the server finds the storage unchanged.
     */
    static List<Periodically> schedules(Config config, StorageDriver storage, Registry registry,
                                        BackgroundCollection collection) {
        List<Periodically> tasks = new ArrayList<>();
        UploadPurging purging = config.uploadPurging();
        if (config.readOnly()) {
            if (purging.enabled() || config.gc().interval().isPresent()) {
                LOG.warn("read-only mode: upload purging and scheduled garbage collection do not run");
            }
            return tasks;
        }
        if (purging.enabled()) {
            UploadPurge purge = new UploadPurge(storage, registry, Clock.systemUTC());
            tasks.add(new Periodically("upload purging", PURGE_DELAY, purging.interval(),
                    () -> purge.purge(purging.age(), purging.dryRun())));
        }
        config.gc().interval().ifPresent(interval ->
                tasks.add(new Periodically("garbage collection", interval, interval, collection::collect)));
        return tasks;
    }
}
