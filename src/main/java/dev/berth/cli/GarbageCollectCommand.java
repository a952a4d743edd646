package dev.berth.cli;

import dev.berth.config.Config;
import dev.berth.config.ConfigException;
import dev.berth.config.Durations;
import dev.berth.gc.CollectionStoppedException;
import dev.berth.gc.GarbageCollector;
import dev.berth.gc.GcOptions;
import dev.berth.gc.GcReport;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.StorageException;
import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth garbage-collect [--dry-run] [--delete-untagged] [--grace DURATION] config.yml}: distribution's
 * command, with the same flags, but safe against registries serving the storage while it runs.
 */
@Command(name = "garbage-collect", mixinStandardHelpOptions = true,
        description = {"Delete blobs no manifest uses, and with --delete-untagged manifests no tag reaches.",
                "Safe while Berth serves the same storage: nothing used within the grace period is deleted."})
final class GarbageCollectCommand implements Callable<Integer> {

    private static final int OUTPUT_BUFFER = 64 * 1024;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "distribution's config.yml; REGISTRY_* environment variables override its keys")
    Path configFile;

    @Option(names = {"-d", "--dry-run"}, description = "print what would be deleted; delete nothing")
    boolean dryRun;

    @Option(names = {"-m", "--delete-untagged"}, description = "also delete manifests that no tag reaches")
    boolean deleteUntagged;

    @Option(names = {"-q", "--quiet"}, description = "print only the summary")
    boolean quiet;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "keep whatever was used this recently, like 1h, 30m or 0 (default: ${DEFAULT-VALUE});"
                    + " 0 only when no registry is writing to the storage")
    Duration grace;

    /**
     * Threads that collect at once. A deletion mostly waits for the file system (ext4 frees an inode in 76-100
     * microseconds here, a third of it CPU), and the waits overlap: 1,200 images collected in 3.5-3.8 s by one
     * thread, 2.1-2.4 s by eight, no faster by sixteen (docs/performance-changes.md, change 39). Eight keep both cores
     * busy, though: fewer leave more of them to a registry serving the same storage meanwhile.
     */
    @Option(names = "--workers", paramLabel = "N", defaultValue = "8", converter = WorkersConverter.class,
            description = "threads that read and delete at once (default: ${DEFAULT-VALUE}); fewer leave more of"
                    + " the machine to a registry serving meanwhile")
    int workers;

    @Override
    public Integer call() {
        Config config;
        try {
            config = MaintenanceWiring.config(Optional.ofNullable(configFile));
        } catch (ConfigException e) {
            System.err.println("berth: invalid configuration: " + e.getMessage());
            return 1;
        }
        StorageDriver storage = Wiring.storage(config);
        GcOutput output = new GcOutput(new PrintStream(new BufferedOutputStream(System.out, OUTPUT_BUFFER), false,
                System.out.charset()), System.err, dryRun, quiet);
        try {
            GcReport report = new GarbageCollector(storage, Wiring.registry(config, storage, Clock.systemUTC()))
                    .collect(new GcOptions(dryRun, deleteUntagged, grace, workers), output);
            output.summary(report);
            return 0;
        } catch (CollectionStoppedException | StorageException e) {
            output.flush();
            System.err.println("berth: garbage collection failed: " + e.getMessage());
            return 1;
        } finally {
            // whatever ends the run, the deletions it made are printed
            output.flush();
        }
    }

    /** Reads {@code --workers}: a whole number, at least one. */
    static final class WorkersConverter implements picocli.CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int workers = Integer.parseInt(value);
            if (workers < 1) {
                throw new picocli.CommandLine.TypeConversionException("at least one worker is needed: " + value);
            }
            return workers;
        }
    }

    /** Reads {@code --grace} with the config file's duration syntax. */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }
}
