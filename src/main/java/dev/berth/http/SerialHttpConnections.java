package dev.berth.http;

import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Jetty's HTTP/1.1 connections, each reading and parsing its input on one thread at a time.
 *
 * <p>Jetty 12.1 can run a connection's {@code onFillable} on two threads at once: after a request it could not parse
 * (such as the TLS handshake that docker, podman and skopeo send to a plain-HTTP port before they fall back to HTTP),
 * the thread that wrote the 400 resumes the connection while the thread that parsed may still hold its request
 * buffer, or has just given it back to the pool. The second thread then reads into a buffer that the pool may have
 * handed to another connection, whose request it garbles: twice in about 27,000 skopeo commands here, the plain
 * {@code GET /v2/} after the handshake was answered 400 "Illegal character SPACE", or not at all (skopeo: "EOF").
 * A lock per connection makes the second thread wait until the first has left; Jetty means them never to overlap,
 * so they wait for each other nowhere else.
 */
final class SerialHttpConnections extends HttpConnectionFactory {

    SerialHttpConnections(HttpConfiguration configuration) {
        super(configuration);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HttpConnection connection = new HttpConnection(getHttpConfiguration(), connector, endPoint) {
            private final ReentrantLock filling = new ReentrantLock();

            @Override
            public void onFillable() {
                filling.lock();
                try {
                    super.onFillable();
                } finally {
                    filling.unlock();
                }
            }
        };
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }
}
