package dev.berth.cli;

import dev.berth.config.Config;
import dev.berth.config.ConfigException;
import dev.berth.config.ConfigLoader;
import dev.berth.config.LoadedConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
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
    /**
     * How much garbage the old generation may gather between full collections: one takes 13-30 ms here, and under
     * the benchmark's waves of connections one is due about every minute.
     */
    private static final long OLD_GENERATION_HEADROOM = 8 << 20;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "distribution's config.yml; REGISTRY_* environment variables override its keys")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        Optional<Serving> serving = start(Optional.ofNullable(configFile), System.getenv());
        if (serving.isEmpty()) {
            return 1;
        }
        // serving only: the start-up cache's training run, which starts through start() too, serves for seconds
        OldGenerationLimit.start(OLD_GENERATION_HEADROOM, Duration.ofMillis(250));
        serving.get().server().join();
        serving.get().stop(); // once the stop that ended the server has finished
        LOG.info("berth stopped");
        return 0;
    }

    /**
     * Loads the configuration, sets up logging, builds and starts everything serving runs, with hooks that stop it
     * on SIGTERM, SIGINT or exit. Empty, once the reason is printed, when the configuration is unusable or a port
     * cannot be listened on. The
     * start-up cache's training run starts its throw-away registry through here too, so that what the cache holds
     * is what a start needs.
     */
    static Optional<Serving> start(Optional<Path> configPath, Map<String, String> environment) throws Exception {
        Config config;
        Serving serving;
        try {
            LoadedConfig loaded = new ConfigLoader(DEFAULT_ROOT).load(configPath, environment);
            config = loaded.config();
            Logging.configure(config.logLevel(), config.log());
            loaded.warnings().forEach(LOG::warn);
            serving = Serving.assemble(config);
        } catch (ConfigException e) {
            System.err.println("berth: invalid configuration: " + e.getMessage());
            return Optional.empty();
        }
        Signals.onTermination(serving::stop);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(serving::stop));
        try {
            serving.start();
        } catch (IOException e) {
            // a port in use, or one the user may not bind: one line, as distribution prints, not a stack trace
            System.err.println("berth: cannot listen: " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
            serving.stop();
            return Optional.empty();
        }
        LOG.info("berth {} listening on {}:{}{}, storage in {}", Version.current(),
                config.address().listeningHost(), serving.server().port(), config.http().prefix(),
                config.storageLocation());
        return Optional.of(serving);
    }
}
