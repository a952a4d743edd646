package dev.berth.http;

import java.util.List;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTP/2 beside HTTP/1.1 on a TLS port, the client choosing through ALPN, as distribution offers it (unless
 * {@code http.http2.disabled}). Implemented by {@code dev.berth.http.h2}, the only code that names Jetty's HTTP/2
 * and ALPN classes, whose jars ship in {@code lib/tls} beside the class path and are loaded for a TLS port only
 * ({@link RegistryServer}): on the class path, every start opened five jars more and pre-encoded Jetty's common
 * header fields for HPACK too (docs/performance-changes.md, change 78).
 */
public interface Http2OverTls {

    /**
     * The connection factories that follow TLS's, in order: ALPN's, which picks the protocol, HTTP/2's with
     * {@code http}'s configuration, gathering up to {@code writeSize} bytes of frames into one write, and
     * {@code http}, which serves clients that ask for HTTP/1.1 or name none; {@code context} is told to prefer the
     * cipher suites HTTP/2 accepts.
     */
    List<ConnectionFactory> afterTls(HttpConnectionFactory http, SslContextFactory.Server context, int writeSize);
}
