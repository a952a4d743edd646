package dev.berth.http;

import java.security.KeyStore;
import java.security.cert.CRL;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The registry port's connector: TLS with HTTP/2 and HTTP/1.1 through ALPN, or plain HTTP that notices TLS. */
final class TlsConnectors {

    private static final String HTTP_1_1_ALPN_ID = "http/1.1";

    private TlsConnectors() {
    }

    /** HTTP/1.1, with a line in the log when a client starts a TLS handshake instead. */
    static DrainingConnector plain(Server server, HttpConnectionFactory http) {
        server.setErrorHandler(new TlsOnPlainPort());
        return new DrainingConnector(server, http);
    }

    static DrainingConnector secure(Server server, HttpConnectionFactory http, TlsOptions options) {
        server.setErrorHandler(new EnvelopeErrorHandler());
        HttpConfiguration configuration = http.getHttpConfiguration();
        configuration.setSecureScheme("https");
        // no SNI checks, as in distribution: a client reaching the server by another name fails its own checks
        configuration.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        SslContextFactory.Server context = context(options);
        server.addBean(new CertificateReloader(context, options));
        if (!options.http2()) {
            return new DrainingConnector(server, new SslConnectionFactory(context, http.getProtocol()), http);
        }
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(configuration);
        // by ALPN's ids: ALPN compares case-sensitively, and the HTTP/1.1 factory calls itself "HTTP/1.1"
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(http2.getProtocol(), HTTP_1_1_ALPN_ID);
        alpn.setDefaultProtocol(http.getProtocol());
        // cipher suites HTTP/2 accepts first, so that ALPN can pick h2
        context.setCipherComparator(HTTP2Cipher.COMPARATOR);
        return new DrainingConnector(server, new SslConnectionFactory(context, alpn.getProtocol()), alpn, http2,
                http);
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
