package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth version}: the version from the jar's manifest. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version.")
final class Version implements Runnable, CommandLine.IVersionProvider {

    static String current() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"berth " + current()};
    }

    @Override
    public void run() {
        System.out.println("berth " + current());
    }
}
