package dev.berth.cli;

import static dev.berth.cli.Cli.berth;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth config check}, {@code berth version} and {@code --help}, as a user at a terminal sees them. */
class ConfigCommandTest {

    @TempDir
    Path dir;

    @Test
    void checkPrintsTheEffectiveConfigurationWithSecretsMasked() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                http: {addr: ':5001', secret: do-not-print}
                notifications: {endpoints: [{name: hook, url: 'http://x/', headers: {Authorization: [do-not-print]}}]}
                redis: {addrs: [localhost:6379], password: do-not-print}
                """);
        Cli.Run run = berth("config", "check", config.toString());
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("addr: :5001", "secret: '*****'", "rootdirectory: data", "url: http://x/")
                .doesNotContain("do-not-print");
        assertThat(run.err()).contains("redis.addrs").doesNotContain("do-not-print");
    }

    @Test
    void checkFailsWithTheKeyAndExitStatus1() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yml"), "http: {draintimeout: forever}");
        Cli.Run run = berth("config", "check", config.toString());
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
            Cli.Run run = berth(args);
            assertThat(run.status()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).as(String.join(" ", args)).contains("Usage: berth");
        }
        assertThat(berth("no-such-command").status()).isEqualTo(2);
        assertThat(berth("config", "check", "a.yml", "b.yml").status()).isEqualTo(2);
    }

    @Test
    void versionPrintsTheVersion() {
        Cli.Run run = berth("version");
        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("berth ");
    }
}
