package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code berth config check}, {@code berth version} and {@code --help}, as a user at a terminal sees them. */
class ConfigCommandTest {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run berth(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int status = new CommandLine(new Main()).execute(args);
            return new Run(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void checkPrintsTheEffectiveConfigurationWithSecretsMasked() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                http: {addr: ':5001', secret: do-not-print}
                notifications: {endpoints: [{name: hook, url: 'http://x/'}]}
                """);
        Run run = berth("config", "check", config.toString());
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("addr: :5001", "secret: '*****'", "rootdirectory: data")
                .doesNotContain("do-not-print");
        assertThat(run.err()).contains("notifications.endpoints").doesNotContain("do-not-print");
    }

    @Test
    void checkFailsWithTheKeyAndExitStatus1() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yml"), "http: {draintimeout: forever}");
        Run run = berth("config", "check", config.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("berth: invalid configuration: http.draintimeout:");
    }

    @Test
    void everyCommandHasHelpAndUsageErrorsExitWith2() {
        for (String[] command : new String[][] {{}, {"serve"}, {"config"}, {"config", "check"}, {"version"},
                {"htpasswd"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
                    java.util.stream.Stream.of("--help")).toArray(String[]::new);
            Run run = berth(args);
            assertThat(run.status()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).as(String.join(" ", args)).contains("Usage: berth");
        }
        assertThat(berth("no-such-command").status()).isEqualTo(2);
        assertThat(berth("config", "check", "a.yml", "b.yml").status()).isEqualTo(2);
    }

    @Test
    void versionPrintsTheVersion() {
        Run run = berth("version");
        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("berth ");
    }
}
