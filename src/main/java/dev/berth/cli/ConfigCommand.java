package dev.berth.cli;

import dev.berth.config.ConfigException;
import dev.berth.config.ConfigLoader;
import dev.berth.config.LoadedConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth config ...}: the configuration without serving it. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with the configuration.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'berth config check'");
    }

    /** {@code berth config check [config.yml]}: validates, warns, and prints what {@code serve} would use. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate a configuration's keys and values and print the effective one (defaults"
                    + " filled in, secrets masked) as YAML.", "Exit status 0 when they are usable, 1 when they are"
                    + " not. The files it names (htpasswd, certificates, keys) are read by serve only."})
    static final class Check implements Callable<Integer> {

        @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
                description = "distribution's config.yml; REGISTRY_* environment variables override its keys")
        Path configFile;

        @Override
        public Integer call() {
            try {
                LoadedConfig loaded = new ConfigLoader(ServeCommand.DEFAULT_ROOT)
                        .load(Optional.ofNullable(configFile), System.getenv());
                loaded.warnings().forEach(warning -> System.err.println("berth: warning: " + warning));
                System.out.print(loaded.effective());
                return 0;
            } catch (ConfigException e) {
                System.err.println("berth: invalid configuration: " + e.getMessage());
                return 1;
            }
        }
    }
}
