package dev.berth.cli;

import dev.berth.config.Config;
import dev.berth.config.ConfigException;
import dev.berth.oci.InvalidNameException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.NameUnknownException;
import dev.berth.registry.Registry;
import dev.berth.storage.StorageDriver;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth repo ...}: administration of whole repositories, straight on the storage. */
@Command(name = "repo", mixinStandardHelpOptions = true, description = "Administer repositories.",
        subcommands = RepoCommand.Delete.class)
final class RepoCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'berth repo delete'");
    }

    /** {@code berth repo delete NAME [config.yml]}. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Delete a repository: its manifests, tags, layer links and uploads (not the"
                    + " repositories nested in it).", "Its blobs are freed by the next garbage collection."})
    static final class Delete implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME", description = "the repository, like team/app")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "CONFIG",
                description = "distribution's config.yml; REGISTRY_* environment variables override its keys")
        Path configFile;

        @Override
        public Integer call() {
            try {
                RepositoryName repository = RepositoryName.parse(name);
                Config config = MaintenanceWiring.config(Optional.ofNullable(configFile));
                StorageDriver storage = Wiring.storage(config);
                // an operator's command on the machine, as garbage-collect is: storage.delete.enabled governs the API
                Registry.over(storage, true, ManifestRules.NO_URLS, Clock.systemUTC()).catalog().delete(repository);
                System.out.println("deleted repository " + repository
                        + "; its blobs are freed by the next garbage-collect");
                return 0;
            } catch (ConfigException e) {
                System.err.println("berth: invalid configuration: " + e.getMessage());
            } catch (InvalidNameException | NameUnknownException e) {
                System.err.println("berth: " + e.getMessage());
            }
            return 1;
        }
    }
}
