package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.auth.OpenAccess;
import dev.berth.http.RegistryHandler;
import dev.berth.http.RegistryServer;
import dev.berth.http.ServerOptions;
import dev.berth.http.TlsOptions;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.storage.filesystem.FilesystemDriver;
import dev.berth.tls.SelfManagedTls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark against a Berth that serves only TLS, with a certificate from its self-managed CA. */
class TlsBenchmarkTest {

    @TempDir
    Path dir;

    private SelfManagedTls files;
    private RegistryServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        files = SelfManagedTls.prepare(dir.resolve("tls"), List.of("127.0.0.1"), Instant.now());
        TlsOptions tls = new TlsOptions(files.certificateFile(), files.keyFile(), List.of(),
                TlsOptions.ClientAuth.REQUEST, List.of("TLSv1.2", "TLSv1.3"),
                List.of("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), true, Optional.empty(),
                Duration.ofMinutes(1));
        Registry registry = Registry.over(new FilesystemDriver(dir.resolve("storage")), true, ManifestRules.NO_URLS,
                Clock.systemUTC());
        server = new RegistryServer(new InetSocketAddress("127.0.0.1", 0),
                new RegistryHandler(registry, new OpenAccess()), ServerOptions.defaults(), Optional.of(tls));
        server.start();
        address = new InetSocketAddress("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private List<Result> run(TlsClient tls, List<Workload> workloads) {
        Options options = new Options(address, Optional.of(tls), "", "", workloads, Options.MIB + 3, Options.MIB,
                Duration.ofMillis(200), Duration.ZERO, 4, 7, 3, 2, 4096, 2);
        return new Benchmark(options, new PrintStream(new ByteArrayOutputStream())).run();
    }

    @Test
    void everyWorkloadPassesOverTlsTrustingTheRegistrysCa() throws Exception {
        List<Result> results = run(TlsClient.trusting(files.authorityFile()), List.of(Workload.values()));

        assertThat(results).hasSize(8).allSatisfy(result -> assertThat(result.passed())
                .as(Report.describe(result)).isTrue());
    }

    @Test
    void aCertificateFromAnUntrustedCaFailsTheRunUnlessChecksAreOff() throws Exception {
        assertThat(run(TlsClient.trustingTheSystem(), List.of(Workload.IMAGES))).singleElement()
                .satisfies(result -> {
                    assertThat(result.passed()).isFalse();
                    assertThat(Report.describe(result)).containsIgnoringCase("certification path");
                });

        assertThat(run(TlsClient.insecure(), List.of(Workload.IMAGES)))
                .hasSize(2).allSatisfy(result -> assertThat(result.passed()).isTrue());
    }

    @Test
    void theCertificateMustNameTheHostTheUrlNames() throws Exception {
        SelfManagedTls other = SelfManagedTls.prepare(dir.resolve("other"), List.of("registry.example.com"),
                Instant.now());
        server.close();
        TlsOptions tls = new TlsOptions(other.certificateFile(), other.keyFile(), List.of(),
                TlsOptions.ClientAuth.REQUEST, List.of("TLSv1.3"), List.of("TLS_AES_128_GCM_SHA256"), false,
                Optional.empty(), Duration.ofMinutes(1));
        server = new RegistryServer(new InetSocketAddress("127.0.0.1", 0), new RegistryHandler(
                Registry.over(new FilesystemDriver(dir.resolve("other-storage")), true, ManifestRules.NO_URLS,
                        Clock.systemUTC()), new OpenAccess()), ServerOptions.defaults(), Optional.of(tls));
        server.start();
        address = new InetSocketAddress("127.0.0.1", server.port());

        assertThat(run(TlsClient.trusting(other.authorityFile()), List.of(Workload.IMAGES))).singleElement()
                .satisfies(result -> {
                    assertThat(result.passed()).isFalse();
                    assertThat(Report.describe(result)).containsIgnoringCase("subject alternative names");
                });
    }
}
