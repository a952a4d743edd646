package dev.berth.config;

import java.nio.file.Path;
import java.util.List;

/**
 * TLS on the registry port: distribution's {@code http.tls} and {@code http.http2}, or Berth's self-managed
 * certificates ({@code berth.tls.selfmanaged}).
 *
 * @param certificates where the server's certificate and key come from
 * @param clientCas    {@code http.tls.clientcas}: CAs whose client certificates are accepted; empty: no mutual TLS
 * @param clientAuth   {@code http.tls.clientauth}, which matters only when {@code clientCas} is not empty
 * @param minimum      {@code http.tls.minimumtls}
 * @param cipherSuites {@code http.tls.ciphersuites} (distribution's defaults when not configured)
 * @param http2        HTTP/2 offered through ALPN, unless {@code http.http2.disabled}
 */
public record TlsSettings(Certificates certificates, List<Path> clientCas, ClientAuth clientAuth, TlsVersion minimum,
                          List<String> cipherSuites, boolean http2) {

    public TlsSettings {
        clientCas = List.copyOf(clientCas);
        cipherSuites = List.copyOf(cipherSuites);
    }

    /** Where the server's certificate and key come from. */
    public sealed interface Certificates {
    }

    /** {@code http.tls.certificate} and {@code http.tls.key}: PEM files the operator provides. */
    public record Files(Path certificate, Path key) implements Certificates {
    }

    /**
     * {@code berth.tls.selfmanaged}: Berth keeps a local CA and a server certificate for {@code hosts} (names and
     * IP addresses) under the storage root.
     */
    public record SelfManaged(List<String> hosts) implements Certificates {
        public SelfManaged {
            hosts = List.copyOf(hosts);
        }
    }

    /** {@code http.tls.clientauth}, with distribution's names. */
    public enum ClientAuth {
        REQUEST_CLIENT_CERT("request-client-cert"),
        REQUIRE_ANY_CLIENT_CERT("require-any-client-cert"),
        VERIFY_CLIENT_CERT_IF_GIVEN("verify-client-cert-if-given"),
        REQUIRE_AND_VERIFY_CLIENT_CERT("require-and-verify-client-cert");

        private final String configName;

        ClientAuth(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    /** {@code http.tls.minimumtls}, with distribution's names. */
    public enum TlsVersion {
        TLS1_0("tls1.0"), TLS1_1("tls1.1"), TLS1_2("tls1.2"), TLS1_3("tls1.3");

        private final String configName;

        TlsVersion(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }
}
