package dev.berth.cli;

import static dev.berth.cli.Cli.berth;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth bench}'s command line: what it refuses before sending anything, with exit status 2. */
class BenchCommandTest {

    @TempDir
    Path dir;

    private static void refused(String because, String... args) {
        Cli.Run run = berth(args);
        assertThat(run.status()).as(String.join(" ", args)).isEqualTo(2);
        assertThat(run.err()).as(String.join(" ", args)).contains(because);
    }

    @Test
    void refusesWhatItCannotUseBeforeSendingAnything() throws Exception {
        refused("http://HOST:PORT or https://HOST:PORT", "bench", "ftp://127.0.0.1:5000");
        refused("for an https URL", "bench", "http://127.0.0.1:5000", "--insecure");
        refused("for an https URL", "bench", "http://127.0.0.1:5000", "--cacert", "ca.crt");
        refused("cannot set up TLS with the CAs of", "bench", "https://127.0.0.1:5000", "--cacert",
                dir.resolve("missing.crt").toString());
        refused("cannot set up TLS", "bench", "https://127.0.0.1:5000", "--cacert",
                Files.writeString(dir.resolve("empty.crt"), "").toString());
        refused("namespace", "bench", "http://127.0.0.1:5000", "--namespace", "Alice/../x");
        refused("USER:PASSWORD", "bench", "http://127.0.0.1:5000", "--user", "alice");
        refused("loopback", "bench", "http://192.0.2.1:5000");
        refused("with --user, not in the URL", "bench", "http://alice:secret@127.0.0.1:5000");
        refused("takes no path", "bench", "http://127.0.0.1:5000/some/prefix");
        refused("--chunk-size is at most 2047 MiB", "bench", "http://127.0.0.1:5000", "--chunk-size", "5120");
        refused("--layer-size is at most", "bench", "http://127.0.0.1:5000", "--layer-size", "4194305");
        refused("at most 3600 seconds", "bench", "http://127.0.0.1:5000", "--duration", "1e300");
        refused("names no workload", "bench", "http://127.0.0.1:5000", "--workloads", ",");
    }
}
