package dev.berth.cli;

import dev.berth.config.Config;
import dev.berth.config.ConfigException;
import dev.berth.config.TlsSettings;
import dev.berth.http.TlsOptions;
import dev.berth.tls.CertifiedKey;
import dev.berth.tls.PemFiles;
import dev.berth.tls.SelfManagedTls;
import dev.berth.tls.TlsException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the TLS settings into the server's TLS options, checking the files first so that a bad one stops start-up
 * with its key. In self-managed mode it prepares the local CA and says how a Docker engine comes to trust it.
 */
final class TlsWiring {

    private static final Logger LOG = LoggerFactory.getLogger(TlsWiring.class);
    private static final Duration RELOAD_INTERVAL = Duration.ofSeconds(5);
    /** JSSE's names for tls1.0 to tls1.3, in order. */
    private static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    /** Always on, as in distribution: Go applies the configured suites to TLS 1.2 and older only. */
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");
    private static final String SELF_MANAGED_DIRECTORY = "berth/tls";

    private TlsWiring() {
    }

    static Optional<TlsOptions> options(Config config, Clock clock) {
        if (config.tls().isEmpty()) {
            return Optional.empty();
        }
        TlsSettings tls = config.tls().get();
        TlsOptions options = switch (tls.certificates()) {
            case TlsSettings.Files files -> {
                checkReadable(files);
                yield build(tls, files.certificate(), files.key(), Optional.empty());
            }
            case TlsSettings.SelfManaged selfManaged -> {
                SelfManagedTls prepared = prepare(config, selfManaged, clock);
                yield build(tls, prepared.certificateFile(), prepared.keyFile(),
                        Optional.of(prepared.authorityPem()));
            }
        };
        if (tls.minimum().compareTo(TlsSettings.TlsVersion.TLS1_2) < 0) {
            LOG.warn("http.tls.minimumtls is {}, but the JDK disables TLS 1.0 and 1.1 (jdk.tls.disabledAlgorithms "
                    + "in java.security): clients need TLS 1.2 or newer", tls.minimum().configName());
        }
        LOG.info("TLS on the registry port: certificate {}, {} and newer, HTTP/2 {}{}", options.certificate(),
                tls.minimum().configName(), tls.http2() ? "on" : "off",
                tls.clientCas().isEmpty() ? "" : ", client certificates " + tls.clientAuth().configName());
        return Optional.of(options);
    }

    private static TlsOptions build(TlsSettings tls, Path certificate, Path key, Optional<String> authorityPem) {
        for (Path clientCa : tls.clientCas()) {
            try {
                PemFiles.certificates(clientCa);
            } catch (TlsException e) {
                throw new ConfigException("http.tls.clientcas", e.getMessage());
            }
        }
        Set<String> suites = new LinkedHashSet<>(tls.cipherSuites());
        suites.addAll(TLS13_SUITES);
        return new TlsOptions(certificate, key, tls.clientCas(), clientAuth(tls.clientAuth()),
                PROTOCOLS.subList(tls.minimum().ordinal(), PROTOCOLS.size()), List.copyOf(suites), tls.http2(),
                authorityPem, RELOAD_INTERVAL);
    }

    private static void checkReadable(TlsSettings.Files files) {
        try {
            PemFiles.certificates(files.certificate());
        } catch (TlsException e) {
            throw new ConfigException("http.tls.certificate", e.getMessage());
        }
        try {
            CertifiedKey.read(files.certificate(), files.key());
        } catch (TlsException e) {
            throw new ConfigException("http.tls.key", e.getMessage());
        }
    }

    private static TlsOptions.ClientAuth clientAuth(TlsSettings.ClientAuth clientAuth) {
        return switch (clientAuth) {
            case REQUEST_CLIENT_CERT -> TlsOptions.ClientAuth.REQUEST;
            case REQUIRE_ANY_CLIENT_CERT -> TlsOptions.ClientAuth.REQUIRE;
            case VERIFY_CLIENT_CERT_IF_GIVEN -> TlsOptions.ClientAuth.VERIFY_IF_GIVEN;
            case REQUIRE_AND_VERIFY_CLIENT_CERT -> TlsOptions.ClientAuth.REQUIRE_AND_VERIFY;
        };
    }

    private static SelfManagedTls prepare(Config config, TlsSettings.SelfManaged selfManaged, Clock clock) {
        SelfManagedTls prepared;
        try {
            prepared = SelfManagedTls.prepare(config.rootDirectory().resolve(SELF_MANAGED_DIRECTORY),
                    selfManaged.hosts(), clock.instant());
        } catch (TlsException e) {
            throw new ConfigException("berth.tls.selfmanaged", e.getMessage());
        }
        if (prepared.createdAuthority()) {
            LOG.info("self-managed TLS: created a local CA, {}", prepared.authorityFile().toAbsolutePath());
        }
        if (prepared.issuedCertificate()) {
            LOG.info("self-managed TLS: issued a certificate for {}, valid until {}", selfManaged.hosts(),
                    prepared.certificate().getNotAfter().toInstant());
        }
        announce(prepared, selfManaged.hosts(), config.address().port());
        return prepared;
    }

    /** The two commands that make a Docker engine trust the CA, for the first host; the others work the same way. */
    private static void announce(SelfManagedTls prepared, List<String> hosts, int port) {
        List<String> addresses = hosts.stream().map(host -> (host.contains(":") ? "[" + host + "]" : host) + ":" + port)
                .toList();
        String address = addresses.getFirst();
        LOG.info("To let a Docker engine trust this registry (no insecure-registries needed), run on its host:");
        LOG.info("  sudo mkdir -p /etc/docker/certs.d/{}", address);
        LOG.info("  curl -fsSk https://{}/ca.crt | sudo tee /etc/docker/certs.d/{}/ca.crt >/dev/null", address,
                address);
        LOG.info("  (the CA's SHA-256 fingerprint, which openssl x509 -noout -fingerprint -sha256 shows: {})",
                prepared.authorityFingerprint());
        if (addresses.size() > 1) {
            LOG.info("  for the registry's other names, put the same file under /etc/docker/certs.d/ with {}",
                    String.join(", ", addresses.subList(1, addresses.size())));
        }
    }
}
