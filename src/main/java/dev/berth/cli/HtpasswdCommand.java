package dev.berth.cli;

import dev.berth.auth.htpasswd.HtpasswdFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth htpasswd}: Apache's {@code htpasswd} for the bcrypt entries a registry uses, with its flags:
 * {@code -Bbn USER PASS} prints an entry; {@code -Bb FILE USER PASS} adds or updates one in place
 * ({@code -c} creates the file); {@code -D FILE USER} deletes one; {@code -i} reads the password from stdin.
 */
@Command(name = "htpasswd", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Create and update htpasswd files of bcrypt entries, like Apache's htpasswd -B.")
final class HtpasswdCommand implements Callable<Integer> {

    @Option(names = "-B", description = "bcrypt (the only scheme; accepted for compatibility)")
    boolean bcrypt;

    @Option(names = "-b", description = "take the password from the command line")
    boolean batch;

    @Option(names = "-n", description = "print the entry instead of updating a file")
    boolean print;

    @Option(names = "-c", description = "create the file (replacing it)")
    boolean create;

    @Option(names = "-D", description = "delete the user")
    boolean delete;

    @Option(names = "-i", description = "read the password from standard input")
    boolean stdin;

    @Option(names = "-C", paramLabel = "COST", defaultValue = "10", description = "bcrypt cost, 4 to 31 (default 10)")
    int cost;

    @Parameters(paramLabel = "[FILE] USER [PASSWORD]", description = "as Apache's htpasswd")
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (cost < 4 || cost > 31) {
            return usage("the bcrypt cost must be between 4 and 31");
        }
        int fileArguments = print ? 0 : 1;
        int passwordArguments = batch && !delete ? 1 : 0;
        if (arguments.size() != fileArguments + 1 + passwordArguments) {
            return usage("expected " + (print ? "" : "FILE ") + "USER" + (passwordArguments == 1 ? " PASSWORD" : ""));
        }
        String user = arguments.get(fileArguments);
        if (delete) {
            return print ? usage("-D needs a file") : deleteUser(Path.of(arguments.get(0)), user);
        }
        String password = batch ? arguments.get(fileArguments + 1) : readPassword();
        String entry;
        try {
            entry = HtpasswdFile.entry(user, password, cost);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        if (print) {
            // Apache's htpasswd -n ends with an empty line; scripts that append its output expect it
            System.out.println(entry);
            System.out.println();
            return 0;
        }
        Path file = Path.of(arguments.get(0));
        List<String> lines = create || !Files.exists(file) ? List.of() : Files.readAllLines(file);
        boolean existed = HtpasswdFile.hasUser(lines, user);
        write(file, HtpasswdFile.withEntry(lines, user, entry));
        System.err.println((existed ? "Updating" : "Adding") + " password for user " + user);
        return 0;
    }

    private int deleteUser(Path file, String user) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (!HtpasswdFile.hasUser(lines, user)) {
            System.err.println("User " + user + " not found");
            return 6;
        }
        write(file, HtpasswdFile.withoutUser(lines, user));
        System.err.println("Deleting password for user " + user);
        return 0;
    }

    private static String readPassword() throws IOException {
        if (System.console() != null) {
            char[] password = System.console().readPassword("New password: ");
            char[] again = System.console().readPassword("Re-type new password: ");
            if (password == null || !new String(password).equals(new String(again))) {
                throw new IOException("password verification error");
            }
            return new String(password);
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? "" : line;
    }

    /** Replaces the file atomically, so a registry re-reading it never sees half of it. */
    private static void write(Path file, List<String> lines) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(parent, ".htpasswd-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        Files.write(temp, lines);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int usage(String message) {
        System.err.println("berth htpasswd: " + message);
        return 2;
    }
}
