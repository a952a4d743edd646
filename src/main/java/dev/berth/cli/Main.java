package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth}: the registry's command line, shaped like distribution's {@code registry} command. */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "A container image registry, drop-in compatible with the CNCF Distribution registry.",
        subcommands = {ServeCommand.class, ConfigCommand.class, GarbageCollectCommand.class, RepoCommand.class,
                HtpasswdCommand.class, BenchCommand.class, Version.class, AotTrainingCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'berth serve'");
    }
}
