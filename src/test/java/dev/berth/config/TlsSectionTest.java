package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSectionTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Path.of("data"));

    private LoadedConfig load(String yaml, Map<String, String> environment) throws Exception {
        return loader.load(Optional.of(Files.writeString(dir.resolve("config.yml"), yaml)), environment);
    }

    private TlsSettings tls(String yaml) throws Exception {
        return load(yaml, Map.of()).config().tls().orElseThrow();
    }

    private static void refused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void noTlsWithoutCertificates() throws Exception {
        assertThat(load("http: {addr: ':5000'}", Map.of()).config().tls()).isEmpty();
    }

    @Test
    void readsDistributionsTlsSectionWithoutWarnings() throws Exception {
        LoadedConfig loaded = load("""
                http:
                  addr: :5443
                  tls:
                    certificate: /certs/domain.crt
                    key: /certs/domain.key
                    clientcas: [/certs/ca.pem, /certs/other-ca.pem]
                    clientauth: verify-client-cert-if-given
                    minimumtls: tls1.3
                    ciphersuites:
                      - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
                  http2:
                    disabled: true
                """, Map.of());
        TlsSettings tls = loaded.config().tls().orElseThrow();

        assertThat(tls.certificates()).isEqualTo(
                new TlsSettings.Files(Path.of("/certs/domain.crt"), Path.of("/certs/domain.key")));
        assertThat(tls.clientCas()).containsExactly(Path.of("/certs/ca.pem"), Path.of("/certs/other-ca.pem"));
        assertThat(tls.clientAuth()).isEqualTo(TlsSettings.ClientAuth.VERIFY_CLIENT_CERT_IF_GIVEN);
        assertThat(tls.minimum()).isEqualTo(TlsSettings.TlsVersion.TLS1_3);
        assertThat(tls.cipherSuites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(tls.http2()).isFalse();
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void defaultsAsDistribution() throws Exception {
        TlsSettings tls = tls("http: {tls: {certificate: /c.crt, key: /c.key}}");

        assertThat(tls.clientCas()).isEmpty();
        assertThat(tls.clientAuth()).isEqualTo(TlsSettings.ClientAuth.REQUIRE_AND_VERIFY_CLIENT_CERT);
        assertThat(tls.minimum()).isEqualTo(TlsSettings.TlsVersion.TLS1_2);
        assertThat(tls.cipherSuites()).hasSize(9).contains("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_AES_256_GCM_SHA384");
        assertThat(tls.http2()).isTrue();
    }

    @Test
    void takesTlsFromTheEnvironmentAsRegistryTwoUsersDo() throws Exception {
        TlsSettings tls = load("version: 0.1", Map.of(
                "REGISTRY_HTTP_TLS_CERTIFICATE", "/certs/domain.crt",
                "REGISTRY_HTTP_TLS_KEY", "/certs/domain.key",
                "REGISTRY_HTTP_TLS_CLIENTCAS", "[/certs/ca.pem]")).config().tls().orElseThrow();

        assertThat(tls.certificates()).isEqualTo(
                new TlsSettings.Files(Path.of("/certs/domain.crt"), Path.of("/certs/domain.key")));
        assertThat(tls.clientCas()).containsExactly(Path.of("/certs/ca.pem"));
    }

    @Test
    void selfManagedModeTakesHostNamesAndAddresses() throws Exception {
        LoadedConfig loaded = load("""
                berth:
                  tls:
                    selfmanaged:
                      enabled: true
                      hosts: [registry.lan, '*.apps.lan', 192.168.1.10, '::1', localhost]
                """, Map.of());

        assertThat(loaded.config().tls().orElseThrow().certificates()).isEqualTo(new TlsSettings.SelfManaged(
                List.of("registry.lan", "*.apps.lan", "192.168.1.10", "::1", "localhost")));
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void selfManagedModeCanBeSwitchedOnFromTheEnvironment() throws Exception {
        TlsSettings tls = load("version: 0.1", Map.of("REGISTRY_BERTH_TLS_SELFMANAGED_ENABLED", "true",
                "REGISTRY_BERTH_TLS_SELFMANAGED_HOSTS", "[registry.lan]")).config().tls().orElseThrow();

        assertThat(tls.certificates()).isEqualTo(new TlsSettings.SelfManaged(List.of("registry.lan")));
    }

    @Test
    void selfManagedModeNeedsHostsWithoutSchemeOrPort() {
        refused(() -> tls("berth: {tls: {selfmanaged: {enabled: true}}}"),
                "berth.tls.selfmanaged.hosts: list the names and IP addresses");
        refused(() -> tls("berth: {tls: {selfmanaged: {enabled: true, hosts: ['registry.lan:5000']}}}"),
                "berth.tls.selfmanaged.hosts: registry.lan:5000 is not a host name or IP address");
        refused(() -> tls("berth: {tls: {selfmanaged: {enabled: true, hosts: ['https://registry.lan']}}}"),
                "is not a host name or IP address");
    }

    @Test
    void selfManagedModeAndGivenCertificatesExcludeEachOther() {
        refused(() -> tls("""
                http: {tls: {certificate: /c.crt, key: /c.key}}
                berth: {tls: {selfmanaged: {enabled: true, hosts: [registry.lan]}}}
                """), "berth.tls.selfmanaged.enabled: http.tls.certificate and http.tls.key already name");
    }

    @Test
    void aCertificateNeedsItsKeyAndTheOtherWayRound() {
        refused(() -> tls("http: {tls: {certificate: /c.crt}}"), "http.tls.key: required with http.tls.certificate");
        refused(() -> tls("http: {tls: {key: /c.key}}"), "http.tls.certificate: required with http.tls.key");
    }

    @Test
    void tlsSettingsWithoutACertificateAreAMistake() {
        refused(() -> tls("http: {tls: {clientcas: [/ca.pem]}}"),
                "http.tls: TLS needs http.tls.certificate and http.tls.key, or berth.tls.selfmanaged.enabled");
    }

    @Test
    void refusesUnknownValuesNamingTheKey() {
        refused(() -> tls("http: {tls: {certificate: /c, key: /k, minimumtls: tls1.4}}"),
                "http.tls.minimumtls: must be one of tls1.0, tls1.1, tls1.2, tls1.3, not tls1.4");
        refused(() -> tls("http: {tls: {certificate: /c, key: /k, clientauth: always}}"),
                "http.tls.clientauth: must be one of request-client-cert, require-any-client-cert");
        refused(() -> tls("http: {tls: {certificate: /c, key: /k, ciphersuites: [TLS_FANCY_NEW_CIPHER]}}"),
                "http.tls.ciphersuites: unknown cipher suite TLS_FANCY_NEW_CIPHER");
    }

    @Test
    void letsEncryptIsParsedThenExplainedWithTheSelfManagedModeForItsHosts() {
        refused(() -> tls("""
                http:
                  tls:
                    letsencrypt:
                      cachefile: /var/lib/registry/le-cache
                      email: ops@example.com
                      hosts: [registry.example.com]
                """), "http.tls.letsencrypt: Berth has no ACME client");
        refused(() -> tls("http: {tls: {letsencrypt: {cachefile: /c, email: ops@example.com, "
                        + "hosts: [registry.example.com]}}}"),
                "berth: {tls: {selfmanaged: {enabled: true, hosts: [registry.example.com]}}}");
        refused(() -> tls("http: {tls: {letsencrypt: {cachefile: /c}}}"),
                "http.tls.letsencrypt.email: required by http.tls.letsencrypt");
    }

    /** Templates and empty REGISTRY_* variables leave empty values, which distribution reads as unset. */
    @Test
    void emptyValuesAreUnsetAsInDistribution() throws Exception {
        assertThat(load("http: {tls: {certificate: '', key: '', clientcas: []}}", Map.of()).config().tls()).isEmpty();
        assertThat(load("http: {addr: ':5000'}", Map.of("REGISTRY_HTTP_TLS_CERTIFICATE", "",
                "REGISTRY_HTTP_TLS_KEY", "")).config().tls()).isEmpty();
        assertThat(load("http: {tls: {certificate: /c.crt, key: /c.key}}",
                Map.of("REGISTRY_HTTP_TLS_CLIENTCAS", "")).config().tls().orElseThrow().clientCas()).isEmpty();
        // without a cache file distribution uses no ACME either: the certificate is served, the section ignored
        LoadedConfig leftover = load("http: {tls: {certificate: /c.crt, key: /c.key, "
                + "letsencrypt: {hosts: [registry.example.com]}}}", Map.of());
        assertThat(leftover.config().tls().orElseThrow().certificates())
                .isEqualTo(new TlsSettings.Files(Path.of("/c.crt"), Path.of("/c.key")));
        assertThat(leftover.warnings()).anySatisfy(w -> assertThat(w).contains("http.tls.letsencrypt.hosts"));
        assertThat(load("http: {tls: {letsencrypt: {hosts: [registry.example.com]}}}", Map.of()).config().tls())
                .isEmpty();
    }
}
