package dev.berth.http.h2;

import dev.berth.http.Http2OverTls;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty's HTTP/2 and ALPN, loaded beside their jars in {@code lib/tls}. Jetty finds the pieces it plugs in with
 * service lookups of the thread's context class loader, which at run time does not see those jars: ALPN's
 * processor each time a factory is made, and HPACK's encoder for pre-encoded header fields once, when
 * {@link PreEncodedHttpField} is first used. Both are done here with this loader as the context's.
 */
public final class JettyHttp2 implements Http2OverTls {

    private static final String HTTP_1_1_ALPN_ID = "http/1.1";

    /**
     * Fails when pre-encoded header fields were set up before, without HPACK's encoder: an HTTP/2 response with one
     * (the {@code Date} of every response) would fail. {@code http.RegistryServer} loads this before it builds a
     * Jetty server.
     */
    public JettyHttp2() {
        PreEncodedHttpField field = withJarsInContext(() -> new PreEncodedHttpField(HttpHeader.SERVER, "berth"));
        try {
            field.getEncodedLength(HttpVersion.HTTP_2);
        } catch (NullPointerException noEncoding) {
            throw new IllegalStateException("Jetty's header fields were pre-encoded without HPACK, before HTTP/2 was"
                    + " loaded", noEncoding);
        }
    }

    @Override
    public List<ConnectionFactory> afterTls(HttpConnectionFactory http, SslContextFactory.Server context,
                                            int writeSize) {
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(http.getHttpConfiguration()) {
            @Override
            public Connection newConnection(Connector connector, EndPoint endPoint) {
                Connection connection = super.newConnection(connector, endPoint);
                // Jetty's default is the output buffer's size, 32 KiB
                ((HTTP2Connection) connection).getSession().setWriteThreshold(writeSize);
                return connection;
            }
        };
        // by ALPN's ids: ALPN compares case-sensitively, and the HTTP/1.1 factory calls itself "HTTP/1.1"
        ALPNServerConnectionFactory alpn = withJarsInContext(
                () -> new ALPNServerConnectionFactory(http2.getProtocol(), HTTP_1_1_ALPN_ID));
        alpn.setDefaultProtocol(http.getProtocol());
        // cipher suites HTTP/2 accepts first, so that ALPN can pick h2
        context.setCipherComparator(HTTP2Cipher.COMPARATOR);
        return List.of(alpn, http2, http);
    }

    private static <T> T withJarsInContext(Supplier<T> making) {
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        thread.setContextClassLoader(JettyHttp2.class.getClassLoader());
        try {
            return making.get();
        } finally {
            thread.setContextClassLoader(context);
        }
    }
}
