package dev.berth.jmh;

import dev.berth.auth.AuthRequest;
import dev.berth.auth.FailureThrottle;
import dev.berth.auth.htpasswd.HtpasswdAuthenticator;
import dev.berth.auth.htpasswd.HtpasswdFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Basic authentication of a request whose credentials verified before: the cached path every authenticated
 * request takes (an HMAC of the credentials and a cache lookup instead of a bcrypt, which costs ~50 ms at cost 10).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CredentialCacheBenchmark {

    private Path file;
    private HtpasswdAuthenticator authenticator;
    private AuthRequest request;

    @Setup
    public void setUp() throws IOException {
        file = Files.createTempFile("berth-jmh", ".htpasswd");
        Files.writeString(file, HtpasswdFile.entry("bench", "bench-password", 10) + "\n");
        authenticator = new HtpasswdAuthenticator(new HtpasswdFile(file, Clock.systemUTC()), "bench",
                new FailureThrottle());
        String basic = Base64.getEncoder().encodeToString("bench:bench-password".getBytes(StandardCharsets.UTF_8));
        request = new AuthRequest(Optional.of("Basic " + basic), "127.0.0.1", "http://127.0.0.1:5000");
        authenticator.authenticate(request);
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public Optional<String> cachedCredentials() {
        return authenticator.authenticate(request);
    }
}
