package dev.berth.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the registry port speaks TLS. The PEM files are read at start and again whenever their contents change.
 *
 * @param certificate    the server's certificate chain, leaf first
 * @param key            its private key
 * @param clientCas      CA certificates that client certificates are checked against; empty: none are asked for
 * @param clientAuth     what is asked of clients when {@code clientCas} is not empty
 * @param protocols      JSSE protocol names to enable, such as {@code TLSv1.2} and {@code TLSv1.3}
 * @param cipherSuites   cipher suites to enable, by their IANA (and JSSE) names
 * @param http2          offer HTTP/2 through ALPN besides HTTP/1.1
 * @param authorityPem   a CA certificate to serve at {@code GET /ca.crt}, for clients to trust
 * @param reloadInterval how often the files are checked for changes
 */
public record TlsOptions(Path certificate, Path key, List<Path> clientCas, ClientAuth clientAuth,
                         List<String> protocols, List<String> cipherSuites, boolean http2,
                         Optional<String> authorityPem, Duration reloadInterval) {

    public TlsOptions {
        clientCas = List.copyOf(clientCas);
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        if (protocols.isEmpty() || cipherSuites.isEmpty()) {
            throw new IllegalArgumentException("TLS needs at least one protocol and one cipher suite");
        }
        if (!reloadInterval.isPositive()) {
            throw new IllegalArgumentException("the reload interval must be positive, not " + reloadInterval);
        }
    }

    /** Whether a client must present a certificate, and whether it is checked against the client CAs. */
    public enum ClientAuth {
        REQUEST(false, false),
        REQUIRE(true, false),
        VERIFY_IF_GIVEN(false, true),
        REQUIRE_AND_VERIFY(true, true);

        private final boolean required;
        private final boolean verified;

        ClientAuth(boolean required, boolean verified) {
            this.required = required;
            this.verified = verified;
        }

        boolean required() {
            return required;
        }

        boolean verified() {
            return verified;
        }
    }
}
