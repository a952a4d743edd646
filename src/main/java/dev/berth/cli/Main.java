package dev.berth.cli;

import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TimeZone;
import org.slf4j.LoggerFactory;
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

    public static void main(String[] args) throws Exception {
        TimeZone.setDefault(utcNamedAsSuch(TimeZone.getDefault()));
        // `serve [CONFIG]`, whose start-up counts, does not go through picocli: picocli's classes are compiled
        // for Java 5, too old for the JVM's AOT cache, and loading and verifying them took longer than everything
        // else the server does before it listens. (Configuring logging on another thread meanwhile was tried and
        // dropped: SLF4J hands out substitute loggers while it initializes, which ServeCommand cannot configure.)
        if (isPlainServe(args)) {
            ServeCommand serve = new ServeCommand();
            serve.configFile = args.length == 2 ? Path.of(args[1]) : null;
            exit(serve.call());
        }
        // nor does the training for that cache: what picocli loads would be in the cache, and so in every start
        Optional<AotTrainingCommand> training = AotTrainingCommand.plain(args);
        if (training.isPresent()) {
            exit(training.get().call());
        }
        exit(new CommandLine(new Main()).execute(args));
    }

    /**
     * The system's zone, but named {@code UTC} when it keeps UTC's rules under another name ({@code Etc/UTC}, as
     * in most containers): the same offsets at every instant, and java.time serves {@code UTC} without reading its
     * copy of the zone database, which Jetty's start, Logback and the log lines would each have it read for the
     * default zone (about 30 ms of a start here, change 76).
     */
    static TimeZone utcNamedAsSuch(TimeZone system) {
        TimeZone utc = TimeZone.getTimeZone("UTC");
        return system.hasSameRules(utc) ? utc : system;
    }

    /** Ends the JVM once the log lines still buffered are written. */
    private static void exit(int status) {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
        System.exit(status);
    }

    /** {@code serve} with at most a configuration file: no options for picocli to parse. */
    static boolean isPlainServe(String[] args) {
        return args.length >= 1 && args.length <= 2 && args[0].equals("serve")
                && (args.length == 1 || (!args[1].startsWith("-") && !args[1].isEmpty()));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'berth serve'");
    }
}
