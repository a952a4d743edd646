package dev.berth.http;

import java.security.KeyStore;
import java.security.cert.CRL;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.TrustManager;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The registry port's connector: TLS with HTTP/2 and HTTP/1.1 through ALPN, or plain HTTP that notices TLS. */
final class TlsConnectors {

    private TlsConnectors() {
    }

    /** HTTP/1.1, with a line in the log when a client starts a TLS handshake instead. */
    static DrainingConnector plain(Server server, HttpConnectionFactory http) {
        server.setErrorHandler(new TlsOnPlainPort());
        return new DrainingConnector(server, http);
    }

    /** {@code http2}: offered beside HTTP/1.1 when present (RegistryServer loads it). */
    static DrainingConnector secure(Server server, HttpConnectionFactory http, TlsOptions options,
                                    Optional<Http2OverTls> http2) {
        server.setErrorHandler(new EnvelopeErrorHandler());
        HttpConfiguration configuration = http.getHttpConfiguration();
        configuration.setSecureScheme("https");
        // no SNI checks, as in distribution: a client reaching the server by another name fails its own checks
        configuration.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        SslContextFactory.Server context = context(options);
        server.addBean(new CertificateReloader(context, options));
        // HTTP/2 gathers frames into writes as large as a batch of TLS records, rather than Jetty's 32 KiB
        List<ConnectionFactory> afterTls = http2.map(offer -> offer.afterTls(http, context,
                BatchedTlsRecords.BATCH_BUFFER)).orElse(List.of(http));
        Stream<ConnectionFactory> factories = Stream.concat(
                Stream.of(new BatchedTlsRecords(context, afterTls.getFirst().getProtocol())), afterTls.stream());
        return new DrainingConnector(server, factories.toArray(ConnectionFactory[]::new));
    }

    private static SslContextFactory.Server context(TlsOptions options) {
        TlsOptions.ClientAuth clientAuth = options.clientAuth();
        SslContextFactory.Server context = clientAuth.verified() ? new SslContextFactory.Server()
                : new UnverifiedClientCertificates();
        context.setIncludeProtocols(options.protocols().toArray(String[]::new));
        context.setIncludeCipherSuites(options.cipherSuites().toArray(String[]::new));
        // the suites are named one by one, so Jetty's default exclusions would only drop ones the operator chose
        context.setExcludeCipherSuites();
        if (!options.clientCas().isEmpty()) {
            context.setNeedClientAuth(clientAuth.required());
            context.setWantClientAuth(!clientAuth.required());
        }
        return context;
    }

    /** Asks for client certificates without checking them (distribution's request- and require-any-client-cert). */
    private static final class UnverifiedClientCertificates extends SslContextFactory.Server {
        @Override
        protected TrustManager[] getTrustManagers(KeyStore trustStore, Collection<? extends CRL> crls) {
            return TRUST_ALL_CERTS;
        }
    }
}
