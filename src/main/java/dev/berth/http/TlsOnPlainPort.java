package dev.berth.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recognises a TLS handshake arriving on the plain-HTTP port and logs one line saying so, at most once a minute
 * (docker tries HTTPS first even with registries it may reach over HTTP). HTTP/1.1 then answers as before, so
 * the client still reports "server gave HTTP response to HTTPS client". Thread-safe.
 */
final class TlsOnPlainPort extends AbstractConnectionFactory implements ConnectionFactory.Detecting {

    private static final Logger LOG = LoggerFactory.getLogger(TlsOnPlainPort.class);
    private static final byte HANDSHAKE_RECORD = 0x16;
    private static final byte TLS_MAJOR_VERSION = 0x03;
    private static final long QUIET_NANOS = 60_000_000_000L;

    private final AtomicLong nextLog = new AtomicLong(System.nanoTime());
    private final AtomicInteger unlogged = new AtomicInteger();

    TlsOnPlainPort() {
        super("tls-on-plain-port");
    }

    @Override
    public Detection detect(ByteBuffer buffer) {
        int start = buffer.position();
        if (buffer.remaining() == 0) {
            return Detection.NEED_MORE_BYTES;
        }
        if (buffer.get(start) != HANDSHAKE_RECORD) {
            return Detection.NOT_RECOGNIZED;
        }
        if (buffer.remaining() < 2) {
            return Detection.NEED_MORE_BYTES;
        }
        return buffer.get(start + 1) == TLS_MAJOR_VERSION ? Detection.RECOGNIZED : Detection.NOT_RECOGNIZED;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        log(endPoint);
        return connector.getConnectionFactory(HttpVersion.HTTP_1_1.asString()).newConnection(connector, endPoint);
    }

    private void log(EndPoint endPoint) {
        long now = System.nanoTime();
        long next = nextLog.get();
        if (now - next < 0 || !nextLog.compareAndSet(next, now + QUIET_NANOS)) {
            unlogged.incrementAndGet();
            return;
        }
        int others = unlogged.getAndSet(0);
        LOG.warn("a TLS handshake from {} arrived at {}, a plain-HTTP port: this client expects HTTPS. Give the "
                        + "registry a certificate (http.tls, or berth.tls.selfmanaged), or let the client use plain "
                        + "HTTP (docker: insecure-registries){}", address(endPoint.getRemoteSocketAddress()),
                address(endPoint.getLocalSocketAddress()), others == 0 ? "" : " (" + others + " more since the last "
                        + "such line)");
    }

    private static String address(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            return String.valueOf(address);
        }
        String host = inet.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
}
